#!/usr/bin/env python3
"""Extract known-answer data from MIT krb5's crypto test sources into JSON fixtures.

Usage: extract-mit-vectors.py <krb5 git dir> <commit>
Reads src/lib/crypto/crypto_tests/{t_decrypt,t_derive,t_cksums,t_prf,t_str2key}.c at <commit>
(via `git show`) and writes mit-*.json next to this script. Only the test-case arrays are read
(data, not code); entries for enctypes tgtbridge does not implement are dropped.
"""
import json, os, re, subprocess, sys

ENCTYPES = {
    'ENCTYPE_AES128_CTS_HMAC_SHA1_96': 17, 'ENCTYPE_AES256_CTS_HMAC_SHA1_96': 18,
    'ENCTYPE_AES128_CTS_HMAC_SHA256_128': 19, 'ENCTYPE_AES256_CTS_HMAC_SHA384_192': 20,
    'ENCTYPE_ARCFOUR_HMAC': 23,
}
CKSUMTYPES = {
    'CKSUMTYPE_HMAC_SHA1_96_AES128': 15, 'CKSUMTYPE_HMAC_SHA1_96_AES256': 16,
    'CKSUMTYPE_HMAC_SHA256_128_AES128': 19, 'CKSUMTYPE_HMAC_SHA384_192_AES256': 20,
    'CKSUMTYPE_HMAC_MD5_ARCFOUR': -138,
}
TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([{}])|([A-Za-z_][A-Za-z0-9_]*|-?\d+)|(,)|(/\*.*?\*/)', re.S)


def c_string(body):
    out, i = bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != '\\':
            out += c.encode('latin-1'); i += 1; continue
        n = body[i + 1]
        if n == 'x':
            m = re.match(r'[0-9A-Fa-f]{1,2}', body[i + 2:]); out.append(int(m.group(0), 16)); i += 2 + len(m.group(0))
        elif n in '01234567':
            m = re.match(r'[0-7]{1,3}', body[i + 1:]); out.append(int(m.group(0), 8)); i += 1 + len(m.group(0))
        else:
            out += {'n': b'\n', '\\': b'\\', '"': b'"', 't': b'\t'}[n]; i += 2
    return bytes(out)


def parse_array(text, name):
    start = text.index('{', text.index(name))
    stack, current, entries, pending = [], None, [], None
    for m in TOKEN.finditer(text, start):
        s, brace, word, comma, comment = m.groups()
        if comment: continue
        if brace == '{':
            stack.append([]); continue
        if brace == '}':
            done = stack.pop()
            if not stack: return entries
            if len(stack) == 1: entries.append(done)
            else: stack[-1].append(done)
            continue
        if s is not None:
            top = stack[-1]
            if top and isinstance(top[-1], bytes) and pending: top[-1] += c_string(s)
            else: top.append(c_string(s))
            pending = True; continue
        pending = False
        if word is not None and len(stack) > 1: stack[-1].append(word)


def data(field):  # { KV5M_DATA, len, "bytes" }
    b = field[2] if len(field) > 2 else b''
    assert len(b) == int(field[1]), field
    return b


def show(git, commit, name):
    return subprocess.run(['git', '--git-dir', git, 'show', f'{commit}:src/lib/crypto/crypto_tests/{name}'],
                          check=True, capture_output=True).stdout.decode('latin-1')


def main():
    git, commit = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    src = lambda f: f'MIT krb5 src/lib/crypto/crypto_tests/{f} at {commit}, extracted by extract-mit-vectors.py'

    dec = [e for e in parse_array(show(git, commit, 't_decrypt.c'), 'test_cases[]') if e[0] in ENCTYPES]
    write(here, 'mit-t-decrypt.json', src('t_decrypt.c'), [
        {'etype': ENCTYPES[e[0]], 'plaintext': data(e[1]).hex(), 'usage': int(e[2]),
         'key': data(e[3]).hex(), 'ciphertext': data(e[4]).hex()} for e in dec])

    der = [e for e in parse_array(show(git, commit, 't_derive.c'), 'test_cases[]') if e[0] in ENCTYPES]
    write(here, 'mit-t-derive.json', src('t_derive.c'), [
        {'etype': ENCTYPES[e[0]], 'key': data(e[1]).hex(), 'constant': data(e[2]).hex(), 'alg': e[3],
         'derived': data(e[4]).hex()} for e in der])

    ck = [e for e in parse_array(show(git, commit, 't_cksums.c'), 'test_cases[]') if e[1] in CKSUMTYPES]
    write(here, 'mit-t-cksums.json', src('t_cksums.c'), [
        {'data': data(e[0]).hex(), 'cksumtype': CKSUMTYPES[e[1]], 'etype': ENCTYPES[e[2]], 'usage': int(e[3]),
         'key': data(e[4]).hex(), 'checksum': data(e[5]).hex()} for e in ck])

    prf = [e for e in parse_array(show(git, commit, 't_prf.c'), 'tests[]') if e[0] in ENCTYPES]
    write(here, 'mit-t-prf.json', src('t_prf.c'), [
        {'etype': ENCTYPES[e[0]], 'key': data(e[1]).hex(), 'input': data(e[2]).hex(),
         'output': data(e[3]).hex()} for e in prf])


def write(here, name, source, vectors):
    with open(os.path.join(here, name), 'w') as f:
        json.dump({'source': source, 'vectors': vectors}, f, indent=1)
        f.write('\n')
    print(name, len(vectors))


if __name__ == '__main__':
    main()
