"""Person names in text: recall on planted names per language, false redactions on real posts.

    python benchmarks/bench_name_redaction.py [--sample N] [--datasets DIR]

Recall: names planted in ad-like sentences of 10 languages, and of Japanese, Korean, Cyrillic
and Arabic writing (``name_samples_world.py``: >= 100 per script, with names held out of the
matcher's lists and name-free trade posts in each) (templates below), each a cue form
a seller would write ("liên hệ anh ..", "联系..先生", "hubungi Pak .."). Half of the names of
each language are *not* in the lists of ``privacy/name_lists.py`` (so the cue and the
capitalisation must find them, not the list). A planted name counts as found when none of its
words is left in the redacted text.

False redactions: the ``<NAME:..>`` tokens made on real posts that contain no planted name
(the dev sets in ``/work/shared/datasets``: marketplace titles and descriptions, bird
classifieds), per 1,000 posts, with a sample of what was taken and its context to classify by
hand (a person's name or not). The real posts are not copied anywhere.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import regex

from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.privacy.redact import TOKEN_RE, Redactor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from name_samples_world import HELD_OUT_WORLD, NAME_FREE, WORLD  # noqa: E402

csv.field_size_limit(sys.maxsize)

# language: (templates with {n}, names in the lists, names not in the lists)
PLANTED: dict[str, tuple[list[str], list[str], list[str]]] = {
    "en": (["Rhino horn for sale, contact Mr. {n} for price",
            "Genuine ivory bangles, ask {n} at the shop on Hang Bac street",
            "Pangolin scales available. Call {n} in Lagos",
            "Selling tusks. Name: {n}, Nairobi",
            "Authentic bear bile, ask for Dr. {n}"],
           ["John Smith", "David Brown", "Mary Johnson", "Michael Davis", "Sarah Wilson"],
           ["Trevor Blackwood", "Nigel Ashcombe", "Gwendolyn Pratt", "Dorian Fairweather",
            "Elspeth Crane"]),
    "vi": (["Bán sừng tê giác thật, liên hệ anh {n} nhé",
            "Ngà voi nguyên khối, gặp chị {n} ở phố Hàng Bạc, Hà Nội",
            "{n} bán vảy tê tê, giá tốt, giao toàn quốc",
            "Cao hổ xịn, hỏi ông {n}",
            "Mật gấu rừng, ask {n} at the shop on Hang Bac street"],
           ["Nguyễn Văn Minh", "Trần Thị Lan", "Phạm Đức Hùng", "Lê Văn Tuấn", "Hoàng Thị Hương"],
           ["Châu Khải Phong", "Kiều Thị Nguyệt", "Quách Tuấn Du", "Tôn Nữ Diệu", "La Văn Cầu"]),
    "zh": (["出售象牙手镯，联系{n}先生", "穿山甲鳞片，请找{n}小姐，价格优惠",
            "犀牛角，联系人：{n}，包邮", "虎骨酒，{n}老板有货"],
           ["王", "李", "张", "刘", "陈"],
           ["欧阳", "诸葛", "上官", "司马", "东方"]),
    "zh-full": (["犀牛角，联系人：{n}，包邮", "象牙，联系{n}，微信同号", "熊胆粉 姓名：{n} 货到付款"],
                ["张伟", "王芳", "李娜", "刘洋", "陈静"],
                ["欧阳娜", "司马光", "诸葛亮", "上官燕", "东方明"]),
    "th": (["ขายงาช้างแท้ ติดต่อคุณ{n}ค่ะ", "เกล็ดลิ่นแท้ สอบถามคุณ{n} ได้เลย",
            "นาย{n} ขายเขาสัตว์ ราคาถูก", "นางสาว{n} รับสั่งของป่า"],
           ["สมชาย", "สมศักดิ์", "มาลี", "ประเสริฐ", "อนันต์"],
           ["วรวุฒิ ทองดี", "กัญญา ศรีสุข", "ธนากร", "พิมพ์ชนก", "ณัฐพล แก้วมณี"]),
    "id": (["Jual sisik trenggiling asli, hubungi Pak {n}", "Gading gajah asli, tanya Ibu {n} ya",
            "Cula badak, kontak Bapak {n} di Jakarta", "Paruh rangkong, hubungi Mbak {n}"],
           ["Budi Santoso", "Siti Rahayu", "Agus Setiawan", "Dewi Lestari", "Joko Wijaya"],
           ["Sutrisno", "Kartini Lubis", "Bonifasius Manurung", "Yohana Sembiring", "Ucok Siregar"]),
    "es": (["Marfil auténtico, llamar a Sr. {n}", "Cuerno de rinoceronte, pregunta por Sra. {n}",
            "Escamas de pangolín, contactar a {n} en Madrid", "Vendo colmillos. Nombre: {n}"],
           ["Juan Pérez", "María García", "Carlos López", "Ana Martínez", "Jorge Sánchez"],
           ["Eustaquio Berrocal", "Remedios Villaverde", "Anselmo Cifuentes", "Dolores Baeza",
            "Fermín Arrieta"]),
    "fr": (["Ivoire véritable, contactez M. {n}", "Corne de rhinocéros, demandez Mme {n}",
            "Écailles de pangolin, appelez {n} à Lagos", "Défenses à vendre. Nom : {n}"],
           ["Jean Dupont", "Marie Durand", "Pierre Martin", "Sophie Bernard", "Nicolas Dubois"],
           ["Anatole Chevrier", "Ghislaine Poirot", "Aurélien Vasseur", "Solange Marchal",
            "Thibault Lemaire"]),
    "de": (["Elfenbein zu verkaufen, fragen Sie nach Herr {n}", "Nashorn-Horn, Frau {n} anrufen",
            "Schuppentier-Schuppen, kontaktieren Sie {n} in Berlin", "Stoßzähne. Name: {n}"],
           ["Hans Müller", "Peter Schmidt", "Sabine Fischer", "Klaus Weber", "Petra Wagner"],
           ["Gottfried Brenner", "Hildegard Vossberg", "Reinhold Kessler", "Waltraud Ebner",
            "Eckhard Lindqvist"]),
    "pt": (["Marfim verdadeiro, falar com Sr. {n}", "Chifre de rinoceronte, ligue para {n}",
            "Escamas de pangolim, contate Sra. {n} em Luanda", "Presas. Nome: {n}"],
           ["João Silva", "Maria Santos", "Paulo Oliveira", "Ana Costa", "Lucas Pereira"],
           ["Valdemar Quintela", "Benedita Frazão", "Adelino Boaventura", "Graça Meireles",
            "Custódio Lacerda"]),
    "sw": (["Pembe za ndovu, wasiliana na Bwana {n}", "Magamba ya kakakuona, piga simu kwa Mama {n}",
            "Pembe ya kifaru, uliza Mzee {n} Nairobi", "Meno ya tembo. Jina: {n}"],
           ["Juma Mwangi", "Amina Otieno", "Baraka Kamau", "Neema Wanjiku", "Hamisi Onyango"],
           ["Tumaini Kisanga", "Zawadi Mrema", "Shukuru Mbwambo", "Rehema Lyimo",
            "Faraja Nyirenda"]),
}

# Written after the rules above were settled and run once as they stand (no rule was changed
# for them): other cues and other names, so the first table is not only a measure of the
# sentences the rules were developed on.
HELD_OUT: dict[str, tuple[list[str], list[str], list[str]]] = {
    "en": (["Serious buyers only, message {n} on the number below", "Mrs. {n} has 3 tusks left"],
           ["Robert Taylor", "Linda Moore"], ["Cedric Holloway", "Imogen Thistlewood"]),
    "vi": (["Hàng chuẩn, gọi cho chú {n} để lấy giá", "Người bán: {n}, ship COD"],
           ["Trần Văn Hải", "Đỗ Thị Mai"], ["Văn Đình Khôi", "Mạc Thị Bưởi"]),
    "zh": (["有意者请致电{n}女士", "需要的找{n}老板聊"], ["黄", "赵"], ["佘", "禤"]),
    "th": (["สนใจทักคุณ{n}นะคะ", "ผู้ขาย นาง{n} ส่งฟรี"], ["มาลี", "สมพร"], ["จันทร์เพ็ญ", "บุญเรือน"]),
    "id": (["Minat? Kontak Mas {n} aja", "Barang ready, tanya Bu {n} langsung"],
           ["Eko Saputra", "Rina"], ["Paijo", "Sumiati Hutapea"]),
    "es": (["Interesados hablar con Don {n}", "Pregunta por la Sra. {n} en el mercado"],
           ["Luis Ramírez", "Carmen Torres"], ["Ildefonso Ruano", "Casilda Ordóñez"]),
    "fr": (["Pour le prix, appelez Madame {n}", "Vendeur : M. {n}, Abidjan"],
           ["Michel Laurent", "Claire Roux"], ["Edmond Tessier", "Gisèle Bouvier"]),
    "de": (["Preis auf Anfrage bei Herrn {n}", "Bitte Frau {n} kontaktieren"],
           ["Stefan Becker", "Monika Koch"], ["Ottokar Wendt", "Irmgard Pfisterer"]),
    "pt": (["Falar com o Senhor {n} em Maputo", "Interessados: Dona {n}"],
           ["Rafael Costa", "Beatriz Ribeiro"], ["Gervásio Tavares", "Deolinda Brandão"]),
    "sw": (["Bei nzuri, muulize Bi {n}", "Kwa maelezo piga Kaka {n}"],
           ["Omari", "Halima Mutua"], ["Jabali Mushi", "Subira Chacha"]),
}


def recall(redactor: Redactor, planted: dict | None = None
           ) -> dict[str, tuple[int, int, int, int]]:
    """Per language: (found listed, planted listed, found unlisted, planted unlisted)."""
    result = {}
    for lang, (templates, listed, unlisted) in (planted or PLANTED).items():
        counts = [0, 0, 0, 0]
        for group, pool in ((0, listed), (2, unlisted)):
            for name in pool:
                for template in templates:
                    out = redactor.redact(template.format(n=name))
                    counts[group + 1] += 1
                    counts[group] += all(w not in TOKEN_RE.sub(" ", out) for w in name.split()
                                         if w not in ("بن", "أبو", "عبد"))
        result[lang] = tuple(counts)
    return result


def real_posts(folder: Path) -> dict[str, list[str]]:
    """Texts of the dev sets, by set (text as written; bird ads are lower-cased stems)."""
    sets: dict[str, list[str]] = defaultdict(list)
    ads = folder / "marketplace-ads"
    for name, columns in (("leather_validation.csv", ("title",)),
                          ("validation_sharks.csv", ("title", "description"))):
        path = ads / name
        if path.exists():
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                for row in csv.DictReader(handle):
                    text = " \n".join(row.get(c) or "" for c in columns).strip()
                    if text:
                        sets[f"marketplace/{name}"].append(text)
    birds = folder / "bird-classifieds" / "text_w_labels.csv"
    if birds.exists():
        with birds.open(encoding="utf-8", errors="replace", newline="") as handle:
            sets["bird-classifieds"] = [r["text_stop_stem"] for r in csv.DictReader(handle)
                                        if r.get("text_stop_stem")]
    return sets


def false_redactions(redactor: Redactor, sets: dict[str, list[str]], sample: int,
                     rng: random.Random) -> list[tuple[str, str]]:
    taken: list[tuple[str, str]] = []
    for name, texts in sets.items():
        start, n_tokens, posts_with = time.process_time(), 0, 0
        for text in texts:
            out = redactor.redact(text)
            k = out.count("<NAME:")
            if k:
                n_tokens += k
                posts_with += 1
                taken += _spans(text, out)
        cpu = time.process_time() - start
        print(f"  {name}: {len(texts)} posts, {n_tokens} NAME tokens "
              f"({1000 * n_tokens / max(1, len(texts)):.1f} per 1,000 posts, in {posts_with} "
              f"posts), {cpu:.2f} s CPU")
    print(f"\nsample of what was taken ({min(sample, len(taken))} of {len(taken)}), "
          "as: taken || context")
    for span, context in rng.sample(taken, min(sample, len(taken))):
        print(f"  {span!r} || {context!r}")
    return taken


def _spans(text: str, out: str) -> list[tuple[str, str]]:
    """The original words behind each NAME token, from the unredacted text around it."""
    from wildsift.privacy.names import find_names
    return [(text[s:e], text[max(0, s - 40):e + 30].replace("\n", " "))
            for s, e in find_names(text)] or [("?", out[:80])]


def world(redactor: Redactor) -> None:
    """Japanese, Korean, Cyrillic and Arabic: recall on planted names (listed / held out of
    the lists), on the held-out sentences, and NAME tokens on name-free trade posts."""
    print("Japanese, Korean, Cyrillic, Arabic (name_samples_world.py)\n")
    print("| script | listed names | names not in the lists | all | held-out sentences "
          "| name-free posts with a NAME token |")
    print("|---|---|---|---|---|---|")
    dev, held = recall(redactor, WORLD), recall(redactor, HELD_OUT_WORLD)
    for script, (f1, n1, f2, n2) in dev.items():
        h1, m1, h2, m2 = held[script]
        false = sum("<NAME:" in redactor.redact(t) for t in NAME_FREE[script])
        print(f"| {script} | {f1}/{n1} | {f2}/{n2} | {(f1 + f2) / (n1 + n2):.3f} | "
              f"{h1 + h2}/{m1 + m2} | {false}/{len(NAME_FREE[script])} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--datasets", type=Path, default=Path("/work/shared/datasets"))
    args = parser.parse_args()
    redactor = Redactor(Pseudonymizer(b"r" * 32))
    for title, planted in (("development sentences", PLANTED), ("held-out sentences", HELD_OUT)):
        print(f"Recall on planted names, {title} (found / planted)\n")
        print("| language | listed names | names not in the lists | all |")
        print("|---|---|---|---|")
        total = [0, 0]
        for lang, (f1, n1, f2, n2) in recall(redactor, planted).items():
            total[0] += f1 + f2
            total[1] += n1 + n2
            print(f"| {lang} | {f1}/{n1} | {f2}/{n2} | {(f1 + f2) / (n1 + n2):.3f} |")
        print(f"| all | | | {total[0] / total[1]:.3f} ({total[0]}/{total[1]}) |\n")
    world(redactor)
    sets = real_posts(args.datasets)
    if not sets:
        print(f"\nno dev sets under {args.datasets}: false redactions not measured")
        return
    print("\nFalse redactions on real posts (no planted names)")
    false_redactions(redactor, sets, args.sample, random.Random(1))


if __name__ == "__main__":
    main()
