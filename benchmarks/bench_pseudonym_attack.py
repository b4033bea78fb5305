"""A dictionary attack on a study's pseudonyms without its secret (docs/benchmarks.md).

    python benchmarks/bench_pseudonym_attack.py [n_numbers]

Makes a study, imports posts whose contacts and accounts are planted inside the enumerated
space (Vietnamese mobile numbers +84 912 000000 .. +84 912 999999, common handles), then,
from the database file alone, hashes every candidate every way the code could have without
the key (5 written forms x 8 unkeyed hashes or guessable-key HMACs, each compared at the
lengths wildsift stores: 6, 16 and 24 hex) and counts the planted identifiers recovered, and
the chance matches (6 hex digits are 24 bits). Then the same with the key, as a control.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_privacy_pseudonyms import (  # noqa: E402  (the attack is the test's, at scale)
    _KEYLESS,
    HANDLES,
    PHONES,
    _keyed,
    attack,
    stored_hashes,
)
from typer.testing import CliRunner  # noqa: E402

from wildsift.cli.main import app  # noqa: E402
from wildsift.privacy.pseudonym import Pseudonymizer  # noqa: E402
from wildsift.study import Study  # noqa: E402


def main(n: int = 1_000_000) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        study = Study.init(root)
        posts = Path(tmp) / "posts.csv"
        rows = ["id,created_at,text,author,mentions,platform"]
        for i, phone in enumerate(PHONES * 2):
            rows.append(f'a{i},2025-01-01T10:00:00Z,"Ngà voi thật, liên hệ 0{phone[3:]} '
                        f'hoặc @{HANDLES[i % 3]}",{HANDLES[i % 3]},{HANDLES[(i + 1) % 3]},'
                        "facebook")
        posts.write_text("\n".join(rows) + "\n", encoding="utf-8")
        result = runner.invoke(app, ["--study", str(root), "import", str(posts)])
        assert result.exit_code == 0, result.output
        found = stored_hashes(root / "wildsift.sqlite")
        planted = set(PHONES) | set(HANDLES)
        start = time.process_time()
        recovered = attack(found, range(n), _KEYLESS)
        cpu = time.process_time() - start
        keyed = Pseudonymizer(study.secret)
        with_key = attack(found, range(n), [lambda s: _keyed(keyed, s)])
        study.close()
    tried = (n * 5 + (len(HANDLES) + 2003) * 6) * len(_KEYLESS)
    print(f"stored: {len(found['token'])} tokens, {len(found['account'])} account pseudonyms, "
          f"{len(found['post'])} post ids")
    print(f"without the secret: {n:,} numbers and {len(HANDLES) + 2003:,} handles, "
          f"{tried:,} hashes in {cpu:.0f} s CPU: {len(recovered & planted)} of {len(planted)} "
          f"planted identifiers recovered, {len(recovered - planted)} chance matches of a "
          f"6-hex token (wrong identifiers)")
    print(f"with the secret (control): {len(with_key & planted)} of {len(planted)} recovered")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
