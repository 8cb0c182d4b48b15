#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the Flatpak manifest parses, names the application id of this
build's profile, keeps the sandbox as narrow as DESIGN.md says, and pins its
SQLCipher source."""
import json
import os
import sys

top, app_id = sys.argv[1], sys.argv[2]
devel_id = app_id if app_id.endswith('.Devel') else app_id + '.Devel'
path = os.path.join(top, 'flatpak', devel_id + '.json')
errors = []

try:
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
except (OSError, ValueError) as e:
    print(f'{path}: {e}')
    sys.exit(1)

manifest_id = manifest.get('id') or manifest.get('app-id')
if manifest_id != devel_id:
    errors.append(f'id is {manifest_id!r}, the build is {devel_id!r}')
if manifest.get('command') != 'rapport':
    errors.append('command is not rapport')
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    errors.append('runtime and sdk must be the GNOME Platform and Sdk')
expected_args = ['--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri']
if manifest.get('finish-args') != expected_args:
    errors.append(f'finish-args are {manifest.get("finish-args")}, expected {expected_args}')

modules = {m.get('name'): m for m in manifest.get('modules', []) if isinstance(m, dict)}
sqlcipher = modules.get('sqlcipher')
if sqlcipher is None:
    errors.append('no sqlcipher module')
else:
    sources = sqlcipher.get('sources', [])
    if not sources or len(sources[0].get('sha256', '')) != 64:
        errors.append('the sqlcipher source has no sha256')
    cflags = sqlcipher.get('build-options', {}).get('cflags', '')
    for flag in ('-DSQLITE_HAS_CODEC', '-DSQLCIPHER_CRYPTO_OPENSSL', '-DSQLITE_TEMP_STORE=3',
                 '-DSQLITE_ENABLE_FTS5', '-DSQLITE_SECURE_DELETE'):
        if flag not in cflags.split():
            errors.append(f'sqlcipher is built without {flag}')

rapport = modules.get('rapport')
if rapport is None:
    errors.append('no rapport module')
else:
    if list(modules)[-1] != 'rapport':
        errors.append('rapport must be the last module')
    if rapport.get('buildsystem') != 'meson' or not rapport.get('run-tests'):
        errors.append('rapport must build with meson and run its tests')
    if '-Dprofile=development' not in rapport.get('config-opts', []):
        errors.append('the .Devel manifest must build the development profile')

for error in errors:
    print(f'{path}: {error}')
sys.exit(1 if errors else 0)
