"""Independent check of the held-out set: offsets, NFC, order, every check recomputed from
figures.jsonl (words re-read with a small Vietnamese number-word parser), and indicators.jsonl
against figures.jsonl and the shared vocabulary (indicators.yaml)."""
import json, os, re, unicodedata
from collections import Counter

text = open('report.txt', encoding='utf-8').read()
figs = [json.loads(l) for l in open('figures.jsonl', encoding='utf-8')]
checks = [json.loads(l) for l in open('checks.jsonl', encoding='utf-8')]

assert text == unicodedata.normalize('NFC', text), 'not NFC'
paras = text.strip().split('\n\n')
assert all(p and '\n' not in p for p in paras), 'one paragraph per line, blank line between'
for f in figs:
    assert text[f['start']:f['start'] + len(f['raw'])] == f['raw'], f
    assert f['kind'] in {'money', 'percent', 'per_mille', 'ratio', 'count', 'quantity'}, f
    if f['kind'] == 'ratio':
        assert f['value'] is None and f['numerator'] is not None and f['denominator'] is not None, f
    else:
        assert f['value'] is not None and f['numerator'] is None, f
starts = [f['start'] for f in figs]
assert starts == sorted(starts) and len(set(starts)) == len(starts), 'text order'
for a, b in zip(figs, figs[1:]):
    assert a['start'] + len(a['raw']) <= b['start'], ('overlap', a, b)
by_start = {f['start']: f for f in figs}

DIG = {'không': 0, 'một': 1, 'mốt': 1, 'hai': 2, 'ba': 3, 'bốn': 4, 'tư': 4, 'năm': 5, 'lăm': 5,
       'sáu': 6, 'bảy': 7, 'tám': 8, 'chín': 9, 'mười': 10}
MULT = {'tỷ': 10**9, 'triệu': 10**6, 'nghìn': 1000, 'ngàn': 1000}


def words(s):
    toks = re.findall(r'\w+', s.lower().replace('đồng', ''))
    total, group, cur = 0, 0, 0
    for t in toks:
        if t in DIG:
            cur = cur + DIG[t] if t != 'mười' else cur + 10
        elif t == 'mươi':
            cur *= 10
        elif t == 'trăm':
            group += cur * 100; cur = 0
        elif t == 'lẻ':
            pass
        elif t in MULT:
            total += (group + cur) * MULT[t]; group = cur = 0
        else:
            raise ValueError(t)
    return total + group + cur


def val(f):
    return f['denominator'] if f['kind'] == 'ratio' else f['value']


def half_unit(f):
    m = re.match(r'\d[\d.,]*', f['raw']).group(0)
    dec = 0
    if ',' in m:
        dec = len(m.split(',')[-1])
    elif '.' in m and not all(len(p) == 3 for p in m.split('.')[1:]):
        dec = len(m.split('.')[-1])
    unit = 1
    if f['kind'] == 'money':
        for w, k in (('tỷ', 10**9), ('triệu', 10**6), ('nghìn', 1000), ('ngàn', 1000)):
            if f['unit'] and f['unit'].startswith(w):
                unit = k
    return 0.5 * 10 ** -dec * unit


n_bad = 0
for c in checks:
    assert len(c['raws']) == len(c['starts']) == len(c['roles'])
    items = {}
    for raw, st, role in zip(c['raws'], c['starts'], c['roles']):
        assert text[st:st + len(raw)] == raw, (c, raw)
        if role == 'words':
            items.setdefault(role, []).append(words(raw))
            continue
        f = by_start[st]
        assert f['raw'] == raw
        items.setdefault(role, []).append(f)
    g = lambda r: items[r][0]
    t = c['type']
    if t == 'ratio_percent':
        if 'ratio' in items:
            part, base = g('ratio')['numerator'], g('ratio')['denominator']
        else:
            part, base = val(g('part')), val(g('base'))
        stated, computed, tol = g('pct')['value'], 100 * part / base, half_unit(g('pct'))
    elif t == 'change':
        up = c['direction'] == 'up'
        if 'old' in items:
            old = val(g('old'))
            new = val(g('new')) if 'new' in items else old + (val(g('diff')) if up else -val(g('diff')))
        else:
            new = val(g('new'))
            old = new - val(g('diff')) if up else new + val(g('diff'))
        assert (new > old) == up
        stated, computed, tol = g('pct')['value'], 100 * abs(new - old) / old, half_unit(g('pct'))
    elif t == 'parts_sum':
        stated, computed, tol = val(g('total')), sum(val(f) for f in items['parts']), half_unit(g('total'))
    elif t == 'percent_sum':
        stated, computed = 100, sum(f['value'] for f in items['parts'])
        tol = max(half_unit(f) for f in items['parts'])
    elif t == 'words_digits':
        stated, computed, tol = g('digits')['value'], g('words'), half_unit(g('digits'))
    consistent = abs(stated - computed) <= tol + 1e-9
    ok = (round(stated, 3) == c['stated'] and abs(round(computed, 3) - c['computed']) < 1e-6
          and consistent == c['consistent'] and consistent != c['planted'])
    if not ok:
        n_bad += 1
        print('MISMATCH', c, stated, computed, consistent)

planted = [c for c in checks if c['planted']]
assert len(planted) == 5, len(planted)
print(len(paras), 'paragraphs,', len(figs), 'figures,', len(checks), 'checks,', len(planted), 'planted')
print('figures by kind:', dict(Counter(f['kind'] for f in figs)))
print('checks by type:', dict(Counter(c['type'] for c in checks)))
print('approx:', dict(Counter(f['approx'] for f in figs if f['approx'])))
print('problems:', n_bad)
for c in planted:
    print('PLANTED', c['type'], c['stated'], c['computed'], c['raws'])


# indicators.jsonl: one row per figure, same order, ids and measures from the vocabulary
MEASURES = {'actual', 'estimate', 'plan', 'share_of_plan', 'prior', 'over_plan', 'change', 'target'}
vocab = next(p for p in ('../../../shared/indicators.yaml', '/work/shared/indicators.yaml') if os.path.exists(p))
ids = set(re.findall(r'^\s*- \{id: (\w+),', open(vocab, encoding='utf-8').read(), re.M))
assert len(ids) > 40, len(ids)
rows = [json.loads(l) for l in open('indicators.jsonl', encoding='utf-8')]
assert len(rows) == len(figs), (len(rows), len(figs))
for i, (r, f) in enumerate(zip(rows, figs)):
    assert set(r) == {'id', 'raw', 'indicator', 'measure', 'period', 'confidence', 'why'}, r
    assert r['id'] == 'F%03d' % (i + 1) and r['raw'] == f['raw'], (r, f['raw'])
    assert r['indicator'] is None or r['indicator'] in ids, r
    assert r['measure'] is None or r['measure'] in MEASURES, r
    assert (r['indicator'] is None) == (r['measure'] is None), r
    assert r['indicator'] is not None or r['period'] is None, r
    assert r['period'] is None or r['period'].lower() in text.lower(), r
    assert r['confidence'] in ('high', 'low') and r['why'], r
with_ind = [r for r in rows if r['indicator']]
print('indicators:', len(with_ind), 'of', len(rows), 'figures;', 'by measure:',
      dict(Counter(r['measure'] for r in with_ind)))
print('indicators: OK')
