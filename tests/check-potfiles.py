#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from po/POTFILES.in,
when POTFILES.in names a file that does not exist, or when it is not sorted."""
import os
import re
import sys

top = sys.argv[1]
marker = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_)\(|translatable="yes"')
extensions = ('.c', '.h', '.ui', '.in')

listed = []
with open(os.path.join(top, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)

errors = []
if listed != sorted(listed):
    errors.append('po/POTFILES.in is not sorted')
for path in listed:
    if not os.path.isfile(os.path.join(top, path)):
        errors.append(f'po/POTFILES.in names {path}, which does not exist')

for root in ('src', 'data'):
    for dirpath, dirnames, filenames in os.walk(os.path.join(top, root)):
        for name in sorted(filenames):
            if not name.endswith(extensions):
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, top)
            with open(full, encoding='utf-8') as f:
                text = f.read()
            if marker.search(text) and rel not in listed:
                errors.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

for error in errors:
    print(error)
sys.exit(1 if errors else 0)
