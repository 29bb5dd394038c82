"""Run one Pelican build in this process and print its peak memory and CPU time.

bench/build.py starts this in a fresh interpreter per build, so each build's
peak resident memory is its own.
"""

import resource
import sys

from pelican import main

if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF)
        # Pagefind runs as a child process: its CPU time counts too.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        print(f"PEAK_RSS_KIB={own.ru_maxrss}", file=sys.stderr)
        print(f"CPU_SECONDS={cpu:.3f}", file=sys.stderr)
