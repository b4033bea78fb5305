"""CPU time of a command's whole process tree, and of the database server, read from /proc.

Why not only ``getrusage(RUSAGE_CHILDREN)``: it counts the processes a command waits for
(the local engine's workers), but Ray starts daemons (raylet, GCS, workers) that outlive the
driver or are reaped by Ray's own processes, so a Ray run's CPU would look like a fraction of
what it used. ``TreeSampler`` walks the command's descendants every ``interval`` seconds and
keeps each process's last own CPU time; the caller takes the larger of that and the rusage
figure (each can only miss time, never count it twice), and reports both.

The database server's CPU (``postgres_cpu_seconds``) is the postmaster's own and reaped
children's time plus its live backends' own time: a delta of it spans every client of the
server, so it is exact only when nothing else uses the server meanwhile.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float, float] | None:
    """(command name, parent pid, own CPU s, reaped children's CPU s) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1: raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    # fields[0] is state (stat field 3): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) / TICKS
    reaped = (int(fields[13]) + int(fields[14])) / TICKS
    return name, ppid, own, reaped


def _all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


class TreeSampler:
    """Samples the own CPU time of ``root`` and every process that descends from it."""

    def __init__(self, root: int, interval: float = 0.25):
        self.root, self.interval = root, interval
        self.members: set[int] = {root}
        self.own_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):  # -> Self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        stats = {pid: s for pid in _all_pids() if (s := _stat(pid)) is not None}
        grew = True
        while grew:  # a child seen before its parent joins on the next pass
            grew = False
            for pid, (_, ppid, _, _) in stats.items():
                if pid not in self.members and ppid in self.members:
                    self.members.add(pid)
                    grew = True
        for pid in self.members:
            if pid in stats:
                self.own_cpu[pid] = stats[pid][2]

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(self.own_cpu.values())

    @property
    def processes(self) -> int:
        return len(self.own_cpu)


def postgres_cpu_seconds() -> float | None:
    """Cumulative CPU of the PostgreSQL server on this machine; None when none runs."""
    stats = {pid: s for pid in _all_pids() if (s := _stat(pid)) is not None}
    masters = [pid for pid, (name, ppid, _, _) in stats.items()
               if name == "postgres" and stats.get(ppid, ("",))[0] != "postgres"]
    if not masters:
        return None
    total = 0.0
    for master in masters:
        total += stats[master][2] + stats[master][3]
        total += sum(own for pid, (_, ppid, own, _) in stats.items() if ppid == master)
    return total
