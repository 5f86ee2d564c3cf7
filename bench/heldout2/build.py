"""Build report.txt, figures.jsonl and checks.jsonl from the annotated source report.src.

Markup in report.src: {{raw|spec}} where spec = kind[;v=value][;u=unit][;a=approx][#id]
kinds: m money, p percent, pm per_mille, r ratio, c count, q quantity,
       w amount written in words (not a figure; only used by words_digits checks).
Values, units and approx words are derived from the raw string unless given.
After the line '=== CHECKS ===' each line declares one check over figure ids.
"""
import json, re, unicodedata
from decimal import Decimal

SCALE = {'tỷ': Decimal(10**9), 'triệu': Decimal(10**6), 'nghìn': Decimal(1000), 'ngàn': Decimal(1000)}
KINDS = {'m': 'money', 'p': 'percent', 'pm': 'per_mille', 'r': 'ratio', 'c': 'count', 'q': 'quantity'}
NUM = r'\d[\d.,]*\d|\d'
APPROX = re.compile(r'(?:^|[\s(])(khoảng|gần|trên|hơn|dưới|xấp xỉ|ước(?: đạt| tính| thực hiện)?)\s+$')


def num(s):
    """Vietnamese number: '.' groups of three = thousands, ',' = decimal; '11.6' = decimal."""
    if ',' in s and '.' in s:
        s = s.replace('.', '').replace(',', '.')
    elif ',' in s:
        s = s.replace(',', '.')
    elif '.' in s:
        parts = s.split('.')
        if all(len(p) == 3 for p in parts[1:]):
            s = s.replace('.', '')
    return Decimal(s)


def decimals(s):
    """Digits written after the decimal separator."""
    if ',' in s:
        return len(s.split(',')[-1])
    if '.' in s:
        parts = s.split('.')
        if not all(len(p) == 3 for p in parts[1:]):
            return len(parts[-1])
    return 0


def split_num(raw):
    m = re.match(r'(%s)\s*(?:(?:-|–|đến)\s*(%s))?\s*(.*)$' % (NUM, NUM), raw)
    return m.group(1), m.group(2), m.group(3)


def scaled(rest):
    w = rest.split(' ')[0] if rest else ''
    if w in SCALE:
        return SCALE[w], rest[len(w):].strip()
    return Decimal(1), rest


def out(d):
    if d is None:
        return None
    d = Decimal(d)
    return int(d) if d == d.to_integral_value() else float(d)


def parse_fig(raw, spec, before):
    spec, _, fid = spec.partition('#')
    toks = spec.split(';')
    kind = toks[0]
    opts = dict(t.split('=', 1) for t in toks[1:])
    f = {'raw': raw, 'kind': KINDS.get(kind, kind), 'value': None, 'numerator': None,
         'denominator': None, 'unit': None, 'approx': None}
    tol_dec = 0
    scale = Decimal(1)
    if kind == 'w':
        f['value'] = Decimal(opts['v'])
    elif kind == 'r':
        left, right = raw.split('/', 1)
        ln, _, lrest = split_num(left.strip())
        rn, _, rrest = split_num(right.strip())
        rs, runit = scaled(rrest)
        ls, _ = scaled(lrest)
        if lrest.strip() == '':
            ls = rs
        money = runit in ('đồng', 'đ')
        if not money:
            ls = rs = Decimal(1)
        f['numerator'] = num(ln) * ls
        f['denominator'] = num(rn) * rs
        f['unit'] = rrest.strip()
    else:
        n1, n2, rest = split_num(raw) if re.match(r'\d', raw) else (None, None, None)
        if kind in ('p', 'pm'):
            f['value'] = num(n1)
            tol_dec = decimals(n1)
        elif kind == 'm':
            scale, _ = scaled(rest)
            f['value'] = num(n1) * scale
            f['unit'] = rest
            tol_dec = decimals(n1)
        else:  # count, quantity
            if n1 is not None:
                scale, unit = scaled(rest)
                f['value'] = num(n1) * scale
                f['unit'] = unit
                tol_dec = decimals(n1)
    if 'v' in opts and kind != 'w':
        f['value'] = Decimal(opts['v'])
    if 'u' in opts:
        f['unit'] = opts['u']
    m = APPROX.search(before[-25:])
    if m:
        f['approx'] = m.group(1).split(' ')[0]
    if 'a' in opts:
        f['approx'] = None if opts['a'] == '-' else opts['a']
    f['_tol'] = Decimal('0.5') * Decimal(10) ** -tol_dec * scale
    return f, fid


def build():
    src = unicodedata.normalize('NFC', open('report.src', encoding='utf-8').read())
    body, _, checks_src = src.partition('=== CHECKS ===')
    text, figs, ids = [], [], {}
    pos, cur = 0, ''
    for m in re.finditer(r'\{\{(.+?)\|([^{}]+?)\}\}', body):
        cur += body[pos:m.start()]
        raw = m.group(1)
        f, fid = parse_fig(raw, m.group(2), cur)
        f['start'] = len(cur)
        cur += raw
        pos = m.end()
        if fid:
            assert fid not in ids, fid
            ids[fid] = f
        if f['kind'] != 'w':
            figs.append(f)
    cur += body[pos:]
    paras = [p.strip() for p in cur.strip().split('\n\n')]
    assert all('\n' not in p for p in paras)
    text = cur.rstrip('\n') + '\n'
    assert '{{' not in text and '}}' not in text
    with open('report.txt', 'w', encoding='utf-8') as fh:
        fh.write(text)

    with open('figures.jsonl', 'w', encoding='utf-8') as fh:
        for f in figs:
            assert text[f['start']:f['start'] + len(f['raw'])] == f['raw']
            o = {k: f[k] for k in ('raw', 'start', 'kind')}
            o['value'] = out(f['value'])
            o['numerator'] = out(f['numerator'])
            o['denominator'] = out(f['denominator'])
            o['unit'] = f['unit']
            o['approx'] = f['approx']
            fh.write(json.dumps(o, ensure_ascii=False) + '\n')

    checks = []
    for line in checks_src.strip().splitlines():
        toks = line.split()
        typ = toks[0]
        kv = dict(t.split('=') for t in toks[1:] if '=' in t)
        planted = 'planted' in toks
        role_ids = []
        for k, v in kv.items():
            if k == 'dir':
                continue
            for i in v.split(','):
                role_ids.append((k, i))
        val = lambda i: ids[i]['value'] if ids[i]['kind'] != 'ratio' else ids[i]['denominator']
        if typ == 'ratio_percent':
            if 'ratio' in kv:
                r = ids[kv['ratio']]
                part, base = r['numerator'], r['denominator']
            else:
                part, base = val(kv['part']), val(kv['base'])
            stated, computed = val(kv['pct']), 100 * part / base
            tol = ids[kv['pct']]['_tol']
        elif typ == 'change':
            if 'old' in kv:
                old = val(kv['old'])
                new = val(kv['new']) if 'new' in kv else (old + val(kv['diff']) if kv['dir'] == 'up' else old - val(kv['diff']))
            else:
                new = val(kv['new'])
                old = new - val(kv['diff']) if kv['dir'] == 'up' else new + val(kv['diff'])
            assert (new > old) == (kv['dir'] == 'up')
            stated, computed = val(kv['pct']), 100 * abs(new - old) / old
            tol = ids[kv['pct']]['_tol']
        elif typ == 'parts_sum':
            stated = val(kv['total'])
            computed = sum(val(i) for i in kv['parts'].split(','))
            tol = ids[kv['total']]['_tol']
        elif typ == 'percent_sum':
            ps = kv['parts'].split(',')
            stated, computed = Decimal(100), sum(val(i) for i in ps)
            tol = max(ids[i]['_tol'] for i in ps)
        elif typ == 'words_digits':
            stated, computed = val(kv['digits']), val(kv['words'])
            tol = ids[kv['digits']]['_tol']
        else:
            raise ValueError(typ)
        consistent = abs(Decimal(stated) - Decimal(computed)) <= tol
        c = {'type': typ, 'stated': round(float(stated), 3), 'computed': round(float(computed), 3),
             'consistent': bool(consistent), 'raws': [ids[i]['raw'] for _, i in role_ids],
             'starts': [ids[i]['start'] for _, i in role_ids], 'roles': [k for k, _ in role_ids],
             'planted': planted}
        if 'dir' in kv:
            c['direction'] = kv['dir']
        checks.append(c)
    checks.sort(key=lambda c: max(c['starts']))
    with open('checks.jsonl', 'w', encoding='utf-8') as fh:
        for c in checks:
            fh.write(json.dumps(c, ensure_ascii=False) + '\n')
    return text, paras, figs, checks


if __name__ == '__main__':
    text, paras, figs, checks = build()
    print(len(paras), 'paragraphs', len(figs), 'figures', len(checks), 'checks')
    for c in checks:
        flag = '' if c['consistent'] != c['planted'] else '  <-- MISMATCH'
        if c['planted'] or not c['consistent']:
            print(c['type'], c['stated'], c['computed'], c['consistent'], c['planted'], c['raws'], flag)
    bad = [c for c in checks if c['consistent'] == c['planted']]
    print('problems:', len(bad))
