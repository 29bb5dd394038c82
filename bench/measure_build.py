"""Run one Pelican build in this process and print its peak memory.

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
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"PEAK_RSS_KIB={peak_kib}", file=sys.stderr)
