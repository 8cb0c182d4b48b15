#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""rapport-cli as a script would use it: commands, outputs and exit codes
(0 done, 1 bad input, 2 cannot unlock, 3 damaged workspace), each error one
line that says what and where."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

CLI = sys.argv.pop(1)


def run(*args, env_extra=None):
    env = dict(os.environ)
    env['LC_ALL'] = 'C.UTF-8'
    env.pop('LANGUAGE', None)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='rapport-cli-')
        self.ws = os.path.join(self.tmp, 'ws')
        self.key = os.path.join(self.tmp, 'recovery.txt')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def init(self):
        result = run('init', '-w', self.ws, '--no-keyring', '--recovery-key-file', self.key)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def assert_one_line_error(self, result, code, *fragments):
        self.assertEqual(result.returncode, code, result.stderr)
        lines = result.stderr.strip().split('\n')
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith('rapport-cli: '), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_version(self):
        result = run('--version')
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r'^rapport-cli \S+ \(SQLCipher 4\.')

    def test_unknown_command(self):
        self.assert_one_line_error(run('frobnicate'), 1, 'frobnicate')

    def test_init_writes_recovery_key_and_refuses_twice(self):
        self.init()
        with open(self.key) as f:
            groups = f.read().strip().split('-')
        self.assertEqual(len(groups), 11)
        self.assertTrue(all(len(g) == 5 for g in groups))
        self.assertEqual(os.stat(self.key).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(self.ws).st_mode & 0o777, 0o700)
        self.assert_one_line_error(
            run('init', '-w', self.ws, '--no-keyring', '--recovery-key-file', self.key), 1,
            self.ws)

    def test_demo_search_stats_verify(self):
        self.init()
        result = run('demo', '-w', self.ws, '--recovery-key-file', self.key,
                     '--contacts', '300', '--companies', '20', '--deals', '40',
                     '--interactions', '300', '--seed', '7')
        self.assertEqual(result.returncode, 0, result.stderr)

        result = run('stats', '-w', self.ws, '--recovery-key-file', self.key)
        self.assertEqual(result.returncode, 0, result.stderr)
        counts = dict(line.split(None, 1) for line in result.stdout.strip().split('\n'))
        self.assertEqual(counts['contact'], '300')
        self.assertEqual(counts['company'], '20')
        self.assertEqual(counts['deal'], '40')
        self.assertEqual(counts['interaction'], '300')

        # Folded and accented queries find the same people.
        plain = run('search', '-w', self.ws, '--recovery-key-file', self.key, '-n', '0',
                    'nguyen')
        accented = run('search', '-w', self.ws, '--recovery-key-file', self.key, '-n', '0',
                       'NGUYỄN')
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(plain.stdout, accented.stdout)
        rows = [line.split('\t') for line in plain.stdout.strip().split('\n')]
        self.assertGreater(len(rows), 10)
        self.assertTrue(all('Nguyễn' in row[1] for row in rows), rows[:5])

        # A phone number found, as typed in three ways.
        phone = rows[0][3]
        self.assertRegex(phone, r'^\+84\d{9}$')
        national = '0' + phone[3:]
        for typed in (phone, national, national[:4] + ' ' + national[4:7] + ' ' + national[7:]):
            found = run('search', '-w', self.ws, '--recovery-key-file', self.key, typed)
            self.assertEqual(found.returncode, 0, found.stderr)
            self.assertIn(rows[0][0] + '\t', found.stdout)

        result = run('verify', '-w', self.ws, '--recovery-key-file', self.key)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_demo_creates_the_workspace(self):
        result = run('demo', '-w', self.ws, '--no-keyring', '--recovery-key-file', self.key,
                     '--contacts', '50', '--companies', '5', '--deals', '10',
                     '--interactions', '20')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(self.key))
        result = run('stats', '-w', self.ws, '--recovery-key-file', self.key)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('contact        50', result.stdout)

    def test_recovery_key_saved_by_the_application(self):
        self.init()
        with open(self.key) as f:
            key = f.read().strip()
        # The page the application's Save to File writes: title, key, notes.
        saved = os.path.join(self.tmp, 'Rapport recovery key.txt')
        with open(saved, 'w') as f:
            f.write('Rapport recovery key\n\n' + key[:35] + '\n' + key[36:].replace('-', ' ')
                    + '\n\nWorkspace: x\nSaved on: 22/11/2026\n\nKeep it safe.\n')
        result = run('stats', '-w', self.ws, '--recovery-key-file', saved)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(saved, 'w') as f:
            f.write('Rapport recovery key\n\n' + key + '\n\nWorkspace: x\n')
        result = run('stats', '-w', self.ws, '--recovery-key-file', saved)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_unlock_failures(self):
        self.init()
        other = os.path.join(self.tmp, 'other')
        other_key = os.path.join(self.tmp, 'other.txt')
        self.assertEqual(run('init', '-w', other, '--no-keyring',
                             '--recovery-key-file', other_key).returncode, 0)
        db = os.path.join(self.ws, 'rapport.db')
        with open(db, 'rb') as f:
            before = f.read()

        # Another workspace's key: cannot unlock, file untouched.
        self.assert_one_line_error(run('stats', '-w', self.ws, '--recovery-key-file', other_key),
                                   2, self.ws)
        # A mistyped key.
        with open(self.key) as f:
            key = f.read().strip()
        typo = os.path.join(self.tmp, 'typo.txt')
        with open(typo, 'w') as f:
            f.write(('B' if key[0] != 'B' else 'C') + key[1:])
        self.assert_one_line_error(run('stats', '-w', self.ws, '--recovery-key-file', typo), 2,
                                   typo)
        # No such file, no such workspace.
        self.assert_one_line_error(run('stats', '-w', self.ws, '--recovery-key-file',
                                       os.path.join(self.tmp, 'missing.txt')), 1, 'missing.txt')
        self.assert_one_line_error(run('stats', '-w', os.path.join(self.tmp, 'nowhere')), 1,
                                   'nowhere')
        with open(db, 'rb') as f:
            self.assertEqual(f.read(), before)

    def test_damaged_workspace(self):
        self.init()
        result = run('demo', '-w', self.ws, '--recovery-key-file', self.key,
                     '--contacts', '200', '--seed', '3')
        self.assertEqual(result.returncode, 0, result.stderr)
        db = os.path.join(self.ws, 'rapport.db')
        size = os.path.getsize(db)
        self.assertGreater(size, 8 * 4096)
        # Flip bytes inside a page in the middle: its authentication code fails.
        with open(db, 'r+b') as f:
            f.seek(size // 2)
            data = bytearray(f.read(64))
            f.seek(size // 2)
            f.write(bytes(b ^ 0xff for b in data))
        result = run('verify', '-w', self.ws, '--recovery-key-file', self.key)
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        self.assertIn(db, result.stderr)

    def test_plaintext_file_is_refused(self):
        os.makedirs(self.ws)
        import sqlite3
        conn = sqlite3.connect(os.path.join(self.ws, 'rapport.db'))
        conn.execute('CREATE TABLE t (x)')
        conn.commit()
        conn.close()
        with open(os.path.join(self.ws, 'workspace.ini'), 'w') as f:
            f.write('[Workspace]\nUUID=0f8fad5b-d9cb-469f-a165-70867728950e\n')
        self.init_key_only()
        result = run('stats', '-w', self.ws, '--recovery-key-file', self.key)
        self.assert_one_line_error(result, 3, 'unencrypted')

    def test_contact_add_show_erase(self):
        self.init()
        ws = ('-w', self.ws, '--recovery-key-file', self.key)
        result = run('company', 'add', *ws, '--name', 'Minh Phát', '--tax-code', '0100 109 106')
        self.assertEqual(result.returncode, 0, result.stderr)
        company_id = result.stdout.strip()

        # An old 11-digit mobile number is stored renumbered, in E.164.
        result = run('contact', 'add', *ws, '--given', 'đức', '--family', 'nguyễn',
                     '--middle', 'văn', '--phone', '01683 456 789', '--phone', '028 3822 1234',
                     '--email', 'Duc@MinhPhat.VN', '--company-id', company_id,
                     '--birthday', '1985-03-09', '--tag', 'VIP', '--tag', 'vip')
        self.assertEqual(result.returncode, 0, result.stderr)
        contact_id = result.stdout.strip()
        self.assertRegex(contact_id, r'^\d+$')

        result = run('contact', 'show', *ws, contact_id, '--json')
        self.assertEqual(result.returncode, 0, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual(data['contact']['display_name'], 'Nguyễn Văn Đức')
        self.assertEqual(data['contact']['birthday'], '1985-03-09')
        self.assertEqual([p['e164'] for p in data['phones']], ['+84383456789', '+842838221234'])
        self.assertEqual(data['phones'][0]['raw'], '01683 456 789')
        self.assertEqual(data['emails'][0]['email'], 'Duc@minhphat.vn')
        self.assertEqual(data['tags'], ['VIP'])
        self.assertEqual(data['company']['name'], 'Minh Phát')
        self.assertEqual(data['audit'][0]['action'], 'insert')

        result = run('contact', 'show', *ws, contact_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('Nguyễn Văn Đức', result.stdout)
        self.assertIn('0383 456 789', result.stdout)

        # Bad input: one line that names the value; nothing is added.
        self.assert_one_line_error(run('contact', 'add', *ws, '--given', 'An',
                                       '--email', 'an@'), 1, 'an@')
        self.assert_one_line_error(run('contact', 'add', *ws, '--given', 'An',
                                       '--phone', '0123'), 1, '0123')
        self.assert_one_line_error(run('contact', 'add', *ws, '--given', 'An',
                                       '--birthday', '31/02/1990'), 1, '31/02/1990')
        self.assert_one_line_error(run('contact', 'add', *ws, '--job-title', 'x'), 1)
        self.assert_one_line_error(run('contact', 'add', *ws, '--given', 'An',
                                       '--company-id', '99'), 1, '99')
        self.assert_one_line_error(run('contact', 'show', *ws, 'abc'), 1, 'abc')
        self.assert_one_line_error(run('contact', 'frob'), 1, 'frob')

        result = run('contact', 'erase', *ws, contact_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_one_line_error(run('contact', 'show', *ws, contact_id), 1, contact_id)
        self.assert_one_line_error(run('contact', 'erase', *ws, contact_id), 1, contact_id)
        result = run('stats', *ws)
        self.assertIn('contact        0', result.stdout)

        # A wrong key cannot unlock.
        other_key = os.path.join(self.tmp, 'other.txt')
        self.assertEqual(run('init', '-w', os.path.join(self.tmp, 'other'), '--no-keyring',
                             '--recovery-key-file', other_key).returncode, 0)
        self.assert_one_line_error(run('contact', 'show', '-w', self.ws,
                                       '--recovery-key-file', other_key, '1'), 2)

    def test_company_add_show(self):
        self.init()
        ws = ('-w', self.ws, '--recovery-key-file', self.key)
        self.assert_one_line_error(run('company', 'add', *ws, '--name', 'Sai',
                                       '--tax-code', '0100109107'), 1, '0100109107')
        self.assert_one_line_error(run('company', 'add', *ws, '--tax-code', '0100109106'), 1)
        result = run('company', 'add', *ws, '--name', '  Sao   Mai ', '--tax-code',
                     '0100109106001', '--phone', '(028) 3822 1234', '--website',
                     ' https://saomai.vn ')
        self.assertEqual(result.returncode, 0, result.stderr)
        company_id = result.stdout.strip()

        result = run('company', 'show', *ws, company_id, '--json')
        self.assertEqual(result.returncode, 0, result.stderr)
        company = json.loads(result.stdout)['company']
        self.assertEqual(company['name'], 'Sao Mai')
        self.assertEqual(company['tax_code'], '0100109106-001')
        self.assertEqual(company['phone'], '+842838221234')
        self.assertEqual(company['website'], 'https://saomai.vn')
        result = run('company', 'show', *ws, company_id)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('0100109106-001', result.stdout)
        self.assert_one_line_error(run('company', 'show', *ws, '42'), 1, '42')

    BENCH_FIGURES = {
        'create_contacts_per_second', 'open_ms', 'search_p95_ms', 'list_first_page_ms',
        'list_get_item_p95_ms', 'contact_page_p95_ms', 'filter_first_page_worst_ms',
        'bulk_tag_100k_s', 'board_10k_deals_p95_ms', 'deal_move_p95_ms',
    }
    # The figures whose encrypted/plain ratio the issue bounds.
    BENCH_RATIOS = {'create_contacts_per_second', 'open_ms', 'search_p95_ms',
                    'list_first_page_ms', 'list_get_item_p95_ms'}

    def test_bench_json(self):
        result = run('bench', '--contacts', '2000', '--json', env_extra={'TMPDIR': self.tmp})
        self.assertEqual(result.returncode, 0, result.stderr)
        figures = json.loads(result.stdout)
        self.assertEqual(figures.pop('contacts'), 2000)
        ratio_max = figures.pop('ratio_max')
        peak = figures.pop('peak_memory_mb')
        self.assertEqual(set(figures), self.BENCH_FIGURES)
        for key, figure in figures.items():
            encrypted, plain = figure['encrypted'], figure['plain']
            self.assertGreater(encrypted, 0, key)
            self.assertGreater(plain, 0, key)
            # The ratio says how much encryption costs: for a rate, the
            # plain rate over the encrypted one.
            if key == 'create_contacts_per_second':
                cost = plain / encrypted
                self.assertEqual(figure['met'], encrypted >= figure['target'], key)
            else:
                cost = encrypted / plain
                self.assertEqual(figure['met'], encrypted <= figure['target'], key)
            if min(encrypted, plain) >= 0.1:
                self.assertAlmostEqual(figure['ratio'], cost, delta=0.01, msg=key)
        self.assertEqual(ratio_max['value'],
                         max(figures[key]['ratio'] for key in self.BENCH_RATIOS))
        self.assertEqual(ratio_max['met'], ratio_max['value'] <= 1.15)
        self.assertGreater(peak['value'], 0)
        self.assertEqual(peak['met'], peak['value'] <= 300)
        # The two workspaces and their temporary directory are gone.
        self.assertEqual(os.listdir(self.tmp), [])

    def test_bench_table(self):
        directory = os.path.join(self.tmp, 'bench')
        result = run('bench', '--contacts', '2000', '--directory', directory)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.strip().split('\n')
        self.assertEqual(lines[0], 'Rapport benchmark, 2000 contacts')
        self.assertRegex(lines[2], r'^figure\s+encrypted\s+plain\s+ratio\s+target\s+met$')
        rows = lines[3:]
        self.assertEqual(len(rows), len(self.BENCH_FIGURES) + 2)
        for row in rows[:-2]:
            self.assertRegex(row, r'\s[\d.]+\s+[\d.]+\s+[\d.]+\s+[≤≥][\d.]+ ?\S+\s+(yes|no)$')
        self.assertRegex(rows[-2], r'^encrypted/plain ratio, worst\s+[\d.]+\s+≤1\.15\s+(yes|no)$')
        self.assertRegex(rows[-1], r'^peak memory \(MB\)\s+[\d.]+\s+≤300 MB\s+(yes|no)$')
        self.assertEqual(os.listdir(directory), [])

    def test_bench_keeps_to_its_own_folders(self):
        # It empties the folders it makes, so it never works in one it did not.
        directory = os.path.join(self.tmp, 'bench')
        mine = os.path.join(directory, 'plain', 'notes.txt')
        os.makedirs(os.path.dirname(mine))
        with open(mine, 'w') as f:
            f.write('do not touch')
        self.assert_one_line_error(run('bench', '--contacts', '100', '--directory', directory),
                                   1, directory)
        with open(mine) as f:
            self.assertEqual(f.read(), 'do not touch')
        self.assertEqual(sorted(os.listdir(directory)), ['plain'])

    def test_bench_stopped_removes_its_workspaces(self):
        directory = os.path.join(self.tmp, 'bench')
        database = os.path.join(directory, 'encrypted', 'rapport.db')
        env = dict(os.environ, LC_ALL='C.UTF-8')
        process = subprocess.Popen([CLI, 'bench', '--directory', directory],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 60
            while (not os.path.exists(database) and process.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.02)
            self.assertTrue(os.path.exists(database))
            process.send_signal(signal.SIGTERM)
            self.assertEqual(process.wait(timeout=60), -signal.SIGTERM)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.assertEqual(os.listdir(directory), [])
        # The measuring process went with it.
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open(f'/proc/{pid}/cmdline', 'rb') as f:
                    self.assertNotIn(directory.encode(), f.read())
            except OSError:
                pass

    def init_key_only(self):
        other = os.path.join(self.tmp, 'keysource')
        self.assertEqual(run('init', '-w', other, '--no-keyring',
                             '--recovery-key-file', self.key).returncode, 0)


if __name__ == '__main__':
    unittest.main(verbosity=2)
