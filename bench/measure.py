"""Run one command and report its wall time and its own peak memory: `measure.py RESULT-FILE COMMAND [ARG ...]`.

`bench/run.py` starts every measured command through this wrapper, run as `python -I -S`, so that it stays
small. On Linux a child's `ru_maxrss` starts from the peak of the process that spawned it (the spawner's
memory map is counted when the child execs), so measuring straight from the benchmark process would report
at least the benchmark's own size. Through this wrapper the floor is the wrapper's size (a few MiB, below any
command measured here). The wall time is taken here too, around the child alone.

The result file gets one line: `<seconds> <ru_maxrss> <exit status>`; the child's standard streams are this
process's. Only the standard library's built-in modules are imported.
"""

import os
import sys
import time


def main() -> int:
    result, argv = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    fd = os.open(result, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, f"{elapsed!r} {usage.ru_maxrss} {code}\n".encode())
    os.close(fd)
    return code


if __name__ == "__main__":
    sys.exit(main())
