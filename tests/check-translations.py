#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the Vietnamese translation of the application and of the help at
100 %: extracts a fresh template from the sources, merges each translation
with it, and fails on any untranslated or fuzzy message or msgfmt complaint."""
import glob
import os
import subprocess
import sys
import tempfile

top = sys.argv[1]

# The keywords of meson's 'glib' preset for i18n.gettext.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
]

errors = []


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def check_complete(po, template, what):
    """msgfmt --check on the translation, then its merge with the template."""
    result = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po])
    if result.returncode != 0:
        errors.append(f'{what}: msgfmt --check failed:\n{result.stderr}')
        return
    if 'untranslated' in result.stderr or 'fuzzy' in result.stderr:
        errors.append(f'{what}: {result.stderr.strip()}')
    with tempfile.TemporaryDirectory() as tmp:
        merged = os.path.join(tmp, 'merged.po')
        result = run(['msgmerge', '--quiet', '-o', merged, po, template])
        if result.returncode != 0:
            errors.append(f'{what}: msgmerge failed:\n{result.stderr}')
            return
        result = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, merged])
        if result.returncode != 0 or 'untranslated' in result.stderr or 'fuzzy' in result.stderr:
            missing = run(['msgattrib', '--untranslated', '--only-fuzzy', merged]).stdout
            missing += run(['msgattrib', '--untranslated', merged]).stdout
            errors.append(f'{what}: not complete against the sources: {result.stderr.strip()}\n'
                          f'{missing}')


with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'rapport.pot')
    result = run(['xgettext', *XGETTEXT_ARGS, '--directory', top,
                  '--files-from', os.path.join(top, 'po', 'POTFILES.in'),
                  '--package-name=rapport', '-o', pot])
    if result.returncode != 0:
        errors.append(f'xgettext failed:\n{result.stderr}')
    else:
        with open(os.path.join(top, 'po', 'LINGUAS'), encoding='utf-8') as f:
            languages = [l.strip() for l in f if l.strip() and not l.startswith('#')]
        for lang in languages:
            check_complete(os.path.join(top, 'po', f'{lang}.po'), pot, f'po/{lang}.po')

    help_pot = os.path.join(tmp, 'help.pot')
    pages = sorted(glob.glob(os.path.join(top, 'help', 'C', '*.page')))
    pages.append(os.path.join(top, 'help', 'C', 'legal.xml'))
    result = run(['itstool', '-o', help_pot, *pages])
    if result.returncode != 0:
        errors.append(f'itstool failed:\n{result.stderr}')
    else:
        with open(os.path.join(top, 'help', 'LINGUAS'), encoding='utf-8') as f:
            languages = [l.strip() for l in f if l.strip() and not l.startswith('#')]
        for lang in languages:
            check_complete(os.path.join(top, 'help', lang, f'{lang}.po'), help_pot,
                           f'help/{lang}/{lang}.po')

for error in errors:
    print(error)
sys.exit(1 if errors else 0)
