#!/usr/bin/env python3
"""The library's floors call only downwards (src/README.md): util, then load, then index, then fast
and emit, then cli. Finds every function a .c file calls that another floor's .c file defines, and
fails on a call to a floor above the caller's, naming both. Also fails on a cycle of calls between
files of one floor. Heuristic by design: definitions are `name(...) {` at the start of a line."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else '.'
SRC = os.path.join(ROOT, 'src')
RANK = {'util': 0, 'load': 1, 'index': 2, 'fast': 3, 'emit': 3, 'cli': 4}

DEFINITION = re.compile(r'^[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;{]*\)\s*\n?\{', re.M)
CALL = re.compile(r'\b([A-Za-z_]\w*)\s*\(')

files = {}
for folder in RANK:
    path = os.path.join(SRC, folder)
    for name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
        if name.endswith('.c'):
            files[os.path.join(folder, name)] = open(os.path.join(path, name), encoding='utf-8').read()

defined = {}
for name, text in files.items():
    for m in DEFINITION.finditer(text):
        if 'static' not in text[text.rfind('\n', 0, m.start()) + 1:m.start(1)]:
            defined.setdefault(m.group(1), name)

problems = []
calls = {}
for name, text in files.items():
    floor = name.split('/')[0]
    for callee in sorted(set(CALL.findall(text))):
        where = defined.get(callee)
        if not where or where == name:
            continue
        calls.setdefault(name, set()).add(where)
        target = where.split('/')[0]
        if RANK[target] > RANK[floor] or (RANK[target] == RANK[floor] and target != floor):
            problems.append('%s calls %s, defined in %s: a floor may call only the floors below it'
                            % (name, callee, where))

# cycles between files (Tarjan's strongly connected components)
index, low, stack, on, counter, cycles = {}, {}, [], set(), [0], []
def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(calls.get(v, ())):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        group = []
        while True:
            w = stack.pop()
            on.discard(w)
            group.append(w)
            if w == v:
                break
        if len(group) > 1:
            cycles.append(sorted(group))
for v in sorted(files):
    if v not in index:
        visit(v)
for group in cycles:
    problems.append('these files call each other in a cycle: ' + ', '.join(group))

for p in problems:
    print('FAIL: ' + p)
print('%d files, %d calls between files, %d problems' % (len(files), sum(len(v) for v in calls.values()), len(problems)))
sys.exit(1 if problems else 0)
