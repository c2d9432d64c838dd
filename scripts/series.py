#!/usr/bin/env python3
"""Export the overlay and patches/ as an ordered series of logical patches.

usage: scripts/series.py MAP COVER OUTDIR

MAP (series/map) says which patch of the exported series brings what:

    === SUBJECT                 starts a patch; SUBJECT is its subject line
    file PATH                   the overlay file PATH is added by this patch
    part PATH START [END] [was TEXT]
                                the lines START..END of PATH, an overlay
                                file an earlier patch adds, come with this
                                patch; before it they are absent, or TEXT
    quilt NNNN [PATH]...        the diffs of patches/NNNN-*.patch (only
                                those of the PATHs, if given)
    ---                         ends the directives; the body follows, up
                                to the next "===" line

START and END are /REGEX/, optionally followed by +N or -N lines. START
must match exactly one line of the file as it is in the tree, END is the
first line matching from START on (START itself when END is omitted).
TEXT takes backslash escapes (\\t, \\n). Arguments are split as a shell
would: quote a regex with single quotes.

The MAINTAINERS entry of MAINTAINERS.patch grows with the series: each
patch adds the F: lines of the files it adds, so that every patch adding a
file also says who maintains it.

The map must account for every overlay file and every diff of patches/
exactly once; anything else is an error, so the series cannot drift from
the tree. The series is made in a scratch git repository holding only the
files it touches (OUTDIR/../series-repo), with fixed dates: the same tree
gives the same series, byte for byte.
"""

import codecs
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('BUILD', os.path.join(TOP, 'build'))
PRISTINE = os.path.join(BUILD, 'linux-vanilla')
# Top-level entries laid on the tree as is (as in prepare-tree.sh).
OVERLAY = ['Kconfig.taskset', 'kernel', 'include', 'fs', 'ipc', 'tools',
           'Documentation']
AUTHOR = ('Task Set Developers', 'taskset-devel@example.org')
DATE = '2026-12-01T00:00:00+00:00'


def die(msg):
    sys.stderr.write('series: %s\n' % msg)
    sys.exit(1)


class Part:
    def __init__(self, patch, path, start, end, was, where):
        self.patch, self.path, self.where = patch, path, where
        self.start, self.end, self.was = start, end, was

    def span(self, lines):
        """The [first, last] line indexes of the part in @lines."""
        first = locate(self.start, lines, 0, True, self)
        last = first if self.end is None else \
            locate(self.end, lines, first, False, self)
        if not 0 <= first <= last < len(lines):
            die('%s: part of %s is out of the file' % (self.where, self.path))
        return first, last


def parse_anchor(text, where):
    m = re.fullmatch(r'/(.*)/([+-]\d+)?', text)
    if not m:
        die('%s: anchor %r is not /REGEX/[+-N]' % (where, text))
    return re.compile(m.group(1)), int(m.group(2) or 0)


def locate(anchor, lines, begin, unique, part):
    regex, offset = anchor
    hits = [i for i in range(begin, len(lines)) if regex.search(lines[i])]
    if not hits:
        die('%s: /%s/ matches no line of %s' %
            (part.where, regex.pattern, part.path))
    if unique and len(hits) > 1:
        die('%s: /%s/ matches %d lines of %s' %
            (part.where, regex.pattern, len(hits), part.path))
    return hits[0] + offset


class Patch:
    def __init__(self, subject, where):
        self.subject, self.where = subject, where
        self.files, self.parts, self.quilts = [], [], []
        self.body = []


def parse_map(path):
    patches = []
    in_body = False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            where = '%s:%d' % (os.path.relpath(path, TOP), n)
            if line.startswith('=== '):
                patches.append(Patch(line[4:].strip(), where))
                in_body = False
                continue
            if in_body:
                patches[-1].body.append(line)
                continue
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if not patches:
                die('%s: directive before the first "===" line' % where)
            if line == '---':
                in_body = True
                continue
            parse_directive(patches[-1], shlex.split(line), where)
    for p in patches:
        while p.body and not p.body[-1].strip():
            p.body.pop()
        while p.body and not p.body[0].strip():
            p.body.pop(0)
        if not p.body:
            die('%s: "%s" has no body' % (p.where, p.subject))
    return patches


def parse_directive(patch, words, where):
    kind, args = words[0], words[1:]
    if kind == 'file' and len(args) == 1:
        patch.files.append(args[0])
    elif kind == 'quilt' and args:
        patch.quilts.append((args[0], args[1:], where))
    elif kind == 'part' and len(args) >= 2:
        was = None
        if len(args) >= 3 and args[-2] == 'was':
            was = codecs.decode(args[-1], 'unicode_escape')
            args = args[:-2]
        if len(args) not in (2, 3):
            die('%s: part PATH START [END] [was TEXT]' % where)
        end = parse_anchor(args[2], where) if len(args) == 3 else None
        patch.parts.append(Part(patch, args[0], parse_anchor(args[1], where),
                                end, was, where))
    else:
        die('%s: cannot read %r' % (where, ' '.join(words)))


def overlay_files():
    out = []
    for e in OVERLAY:
        p = os.path.join(TOP, e)
        if os.path.isfile(p):
            out.append(e)
        for root, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if not d.startswith('.')]
            for f in files:
                if not f.startswith('.') and not f.endswith('.o'):
                    out.append(os.path.relpath(os.path.join(root, f), TOP))
    return sorted(out)


def split_diff(path):
    """The per-file diffs of a quilt patch, as {file: text}."""
    with open(path) as f:
        text = f.read()
    chunks = re.split(r'^(?=diff --git )', text, flags=re.M)[1:]
    diffs = {}
    for c in chunks:
        m = re.match(r'diff --git a/(\S+) b/', c)
        diffs[m.group(1)] = c
    return diffs


def quilt_patches():
    with open(os.path.join(TOP, 'patches', 'series')) as f:
        names = [line.strip() for line in f
                 if line.strip() and not line.startswith('#')]
    return {n[:4]: os.path.join(TOP, 'patches', n) for n in names}


def check_coverage(patches, files, quilts):
    owner = {}
    for p in patches:
        for f in p.files:
            if f not in files:
                die('%s: %s is not an overlay file' % (p.where, f))
            if f in owner:
                die('%s: %s is already added by "%s"' %
                    (p.where, f, owner[f].subject))
            owner[f] = p
    missing = [f for f in files if f not in owner]
    if missing:
        die('no patch of %s adds %s' % ('series/map', ', '.join(missing)))
    for i, p in enumerate(patches):
        for part in p.parts:
            o = owner.get(part.path)
            if o is None or patches.index(o) >= i:
                die('%s: %s is not added by an earlier patch' %
                    (part.where, part.path))
    taken = {}
    for p in patches:
        for num, only, where in p.quilts:
            if num not in quilts:
                die('%s: no patch %s in patches/series' % (where, num))
            diffs = split_diff(quilts[num])
            for f in only or diffs:
                if f not in diffs:
                    die('%s: patch %s does not change %s' % (where, num, f))
                if (num, f) in taken:
                    die('%s: %s of patch %s is taken twice' % (where, f, num))
                taken[(num, f)] = p
    for num, path in quilts.items():
        for f in split_diff(path):
            if (num, f) not in taken:
                die('no patch of series/map takes %s of %s' %
                    (f, os.path.basename(path)))
    return owner


def stage_lines(path, k, patches, parts_of):
    """The lines of overlay file @path after patch @k of the series."""
    with open(os.path.join(TOP, path)) as f:
        lines = f.read().split('\n')
    cuts = []
    for part in parts_of.get(path, []):
        if patches.index(part.patch) > k:
            first, last = part.span(lines)
            cuts.append((first, last, part))
    cuts.sort(key=lambda c: c[0])
    for a, b in zip(cuts, cuts[1:]):
        if b[0] <= a[1]:
            die('%s and %s overlap in %s' % (a[2].where, b[2].where, path))
    for first, last, part in reversed(cuts):
        lines[first:last + 1] = [] if part.was is None else \
            part.was.split('\n')
    return '\n'.join(lines)


def run(args, cwd, env=None, stdin=None):
    r = subprocess.run(args, cwd=cwd, env=env, input=stdin, text=True,
                       capture_output=True)
    if r.returncode:
        die('%s failed:\n%s%s' % (' '.join(args), r.stdout, r.stderr))
    return r.stdout


def git_env():
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1],
               GIT_COMMITTER_NAME=AUTHOR[0], GIT_COMMITTER_EMAIL=AUTHOR[1],
               GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE,
               GIT_CONFIG_NOSYSTEM='1', HOME=BUILD)
    return env


def maintainers_entry():
    """The lines the MAINTAINERS entry of MAINTAINERS.patch adds."""
    diff = split_diff(os.path.join(TOP, 'MAINTAINERS.patch'))['MAINTAINERS']
    return [line[1:] for line in diff.split('\n')
            if line.startswith('+') and not line.startswith('+++')]


def pattern_matches(pattern, files):
    if pattern.endswith('/'):
        return any(f.startswith(pattern) for f in files)
    return any(fnmatch.fnmatchcase(f, pattern) for f in files)


def stage_maintainers(final, entry, present):
    """MAINTAINERS with only the F: lines of the entry that match @present."""
    at = final.index(entry[0])
    kept = [line for line in entry if not line.startswith('F:\t') or
            pattern_matches(line[3:], present)]
    if not any(line.startswith('F:\t') for line in kept):
        kept = []
    return final[:at] + kept + final[at + len(entry):]


def setup_repo(repo, upstream_files):
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    env = git_env()
    run(['git', 'init', '-q', '-b', 'series'], repo, env)
    for f in sorted(upstream_files):
        src = os.path.join(PRISTINE, f)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(repo, f)) or repo,
                    exist_ok=True)
        shutil.copy(src, os.path.join(repo, f))
    run(['git', 'add', '-A'], repo, env)
    run(['git', 'commit', '-q', '-m', 'base: the files the series changes'],
        repo, env)
    run(['git', 'tag', 'base'], repo, env)
    return env


def write_file(repo, path, text):
    dst = os.path.join(repo, path)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'w') as f:
        f.write(text)


def message(p):
    return '%s\n\n%s\n\nSigned-off-by: %s <%s>\n' % (
        p.subject, '\n'.join(p.body), AUTHOR[0], AUTHOR[1])


def build_repo(patches, repo, quilts, owner):
    parts_of = {}
    for p in patches:
        for part in p.parts:
            parts_of.setdefault(part.path, []).append(part)
    upstream = {'MAINTAINERS'}
    for path in quilts.values():
        upstream.update(split_diff(path))
    env = setup_repo(repo, upstream)
    final_m = open(os.path.join(PRISTINE, 'MAINTAINERS')).read().split('\n')
    entry = maintainers_entry()
    r = subprocess.run(['patch', '-s', '-o', '-', '--fuzz=0',
                        os.path.join(PRISTINE, 'MAINTAINERS'),
                        os.path.join(TOP, 'MAINTAINERS.patch')],
                       capture_output=True, text=True)
    if r.returncode:
        die('MAINTAINERS.patch does not apply:\n' + r.stderr)
    final_m = r.stdout.split('\n')
    added = []
    for k, p in enumerate(patches):
        for path, o in sorted(owner.items()):
            if patches.index(o) <= k:
                write_file(repo, path, stage_lines(path, k, patches, parts_of))
        for num, only, where in p.quilts:
            diffs = split_diff(quilts[num])
            text = ''.join(diffs[f] for f in (only or diffs))
            r = subprocess.run(['patch', '-p1', '-s', '-f', '--fuzz=0',
                                '--no-backup-if-mismatch'], cwd=repo,
                               input=text, text=True, capture_output=True)
            if r.returncode:
                die('%s: patch %s does not apply here:\n%s' %
                    (where, num, r.stdout + r.stderr))
        added += p.files
        write_file(repo, 'MAINTAINERS',
                   '\n'.join(stage_maintainers(final_m, entry, added)))
        run(['git', 'add', '-A'], repo, env)
        run(['git', 'commit', '-q', '--allow-empty', '-F', '-'], repo, env,
            stdin=message(p))
    return env


def export(repo, env, cover, out):
    shutil.rmtree(out, ignore_errors=True)
    # No --thread: Message-Ids carry the time of the export; git
    # send-email threads the mails when it sends them.
    run(['git', 'format-patch', '-q', '--cover-letter', '--no-signature',
         '-o', out, 'base..HEAD'], repo, env)
    with open(cover) as f:
        subject, _, blurb = f.read().partition('\n')
    path = os.path.join(out, '0000-cover-letter.patch')
    with open(path) as f:
        text = f.read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', blurb.strip('\n'))
    with open(path, 'w') as f:
        f.write(text)


def main():
    if len(sys.argv) != 4:
        die('usage: series.py MAP COVER OUTDIR')
    mapfile, cover, out = (os.path.abspath(a) for a in sys.argv[1:])
    if not os.path.isdir(PRISTINE):
        die('no %s: run scripts/prepare-tree.sh first' % PRISTINE)
    patches = parse_map(mapfile)
    quilts = quilt_patches()
    owner = check_coverage(patches, overlay_files(), quilts)
    repo = os.path.join(os.path.dirname(out), 'series-repo')
    env = build_repo(patches, repo, quilts, owner)
    export(repo, env, cover, out)
    print(out)


if __name__ == '__main__':
    main()
