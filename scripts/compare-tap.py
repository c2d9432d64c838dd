#!/usr/bin/python3
"""Compare the selftest results of an unpatched and a patched kernel.

usage: scripts/compare-tap.py VANILLA.tap PATCHED.tap

Each file is what the guest's test init wrote (see tap-summary.sh). Every
program and every "ok"/"not ok" line of it is a test; a program's own
result is its exit status (0 pass, 4 skip, anything else fail). Prints
both result tables side by side, then the tests that fail on both kernels
with the last diagnostic line before the failure as the reason. Exits 1 if
a test that passes on the unpatched kernel does not pass on the patched
one, or if the patched run did not finish.
"""

import re
import sys

START = re.compile(r"^# taskset-run: start (\S+)")
END = re.compile(r"^# taskset-run: end (\S+) exit=(\d+)")
# kselftest_harness.h's own progress lines: not a reason.
HARNESS = re.compile(r"^(RUN|OK|FAIL|SKIP|PASSED|FAILED|Totals)\b|"
                     r"Test terminated by assertion|^Planned tests")
RESULT = re.compile(r"^(not ok|ok) \d+\s*(.*?)\s*(?:#\s*(SKIP|XFAIL|TODO)\b.*)?$")


def parse(path):
    """Return ({test: (result, reason)}, finished)."""
    tests, prog, last_diag, finished = {}, None, "", False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = START.match(line)
            if m:
                prog, last_diag = m.group(1), ""
                continue
            m = END.match(line)
            if m:
                code = int(m.group(2))
                result = {0: "pass", 4: "skip"}.get(code, "fail")
                reason = "exit %d" % code
                if code == 143 or code == 124:
                    reason = "timed out"
                if last_diag:
                    reason += " (%s)" % last_diag
                tests[m.group(1)] = (result, reason)
                prog = None
                continue
            if line.startswith("# taskset-run: done"):
                finished = True
                continue
            if prog is None:
                continue
            m = RESULT.match(line)
            if m:
                name = "%s: %s" % (prog, m.group(2).strip())
                if m.group(3):
                    result = "skip"
                else:
                    result = "pass" if m.group(1) == "ok" else "fail"
                tests[name] = (result, last_diag)
            elif line.startswith("#") and line.strip("# "):
                diag = line.lstrip("# ").strip()
                if not HARNESS.search(diag):
                    last_diag = diag
    return tests, finished


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    vanilla, _ = parse(sys.argv[1])
    patched, finished = parse(sys.argv[2])
    names = sorted(set(vanilla) | set(patched))
    width = min(max((len(n) for n in names), default=10), 72)
    print("%-*s  %-8s %-8s" % (width, "test", "vanilla", "patched"))
    regressions, both = [], []
    for name in names:
        v = vanilla.get(name, ("missing", ""))
        p = patched.get(name, ("missing", ""))
        mark = ""
        if v[0] == "pass" and p[0] != "pass":
            regressions.append(name)
            mark = "  <-- REGRESSION"
        elif v[0] == "fail" and p[0] == "fail":
            both.append((name, v[1] or p[1]))
        print("%-*s  %-8s %-8s%s" % (width, name[:width], v[0], p[0], mark))
    count = lambda r, res: sum(1 for t in r.values() if t[0] == res)
    print()
    for label, r in (("vanilla", vanilla), ("patched", patched)):
        print("%s: %d passed, %d failed, %d skipped" %
              (label, count(r, "pass"), count(r, "fail"), count(r, "skip")))
    if both:
        print("\nfailing on both kernels (not caused by the series):")
        for name, reason in both:
            print("  %s: %s" % (name, reason or "no diagnostic"))
    if not finished:
        print("\nthe patched run did not finish")
    if regressions:
        print("\nregressions: %d" % len(regressions))
        for name in regressions:
            print("  " + name)
    ok = finished and not regressions
    print("\nupstream: %d passed, %d failed" %
          (count(patched, "pass"), len(regressions) + (not finished)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
