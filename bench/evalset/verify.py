"""Independent check of a gold set (this evaluation set, and bench/heldout*, which run it on their own folder):
offsets, NFC, order, every check recomputed from figures.jsonl (words re-read with a small Vietnamese
number-word parser), the consistent flags against the planted ones, and indicators.jsonl (where the folder has
one) against figures.jsonl and the shared vocabulary (../shared/indicators.yaml beside the project).

    python3 verify.py [--planted N] [--clear-of-boundary] [--any-kind]

Run from the gold set's folder. --planted: the number of planted inconsistencies (default 6, this set's);
--clear-of-boundary: consistent checks must keep within 0.8 of their rounding tolerance; --any-kind: an
indicator's figure need not be of a kind the vocabulary lists for it."""
import argparse, json, os, re, unicodedata
from collections import Counter
from pathlib import Path

args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
args.add_argument('--planted', type=int, default=6)
args.add_argument('--clear-of-boundary', action='store_true')
args.add_argument('--any-kind', action='store_true')
args = args.parse_args()

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
    if args.clear_of_boundary and consistent and abs(stated - computed) > 0.8 * tol + 1e-9:
        n_bad += 1
        print('NEAR THE ROUNDING BOUNDARY (keep consistent checks clearly inside)', c)
    ok = (round(stated, 3) == c['stated'] and abs(round(computed, 3) - c['computed']) < 1e-6
          and consistent == c['consistent'] and consistent != c['planted'])
    if not ok:
        n_bad += 1
        print('MISMATCH', c, stated, computed, consistent)

planted = [c for c in checks if c['planted']]
assert len(planted) == args.planted, len(planted)

# indicators.jsonl: one row per figure, same order, vocabulary and measures from indicators.yaml
MEASURES = {'actual', 'estimate', 'plan', 'share_of_plan', 'prior', 'over_plan', 'change', 'target'}
VOCABULARY = Path(__file__).resolve().parents[3] / 'shared' / 'indicators.yaml'
inds = [json.loads(l) for l in open('indicators.jsonl', encoding='utf-8')] if os.path.exists('indicators.jsonl') else []
if inds and not VOCABULARY.exists():
    print('indicators: not checked,', VOCABULARY, 'is not beside the project')
    inds = []
vocab = {}
for line in open(VOCABULARY, encoding='utf-8') if inds else ():
    m = re.match(r'\s*- \{id: (\w+),.*?kinds: \[([^\]]*)\]', line)
    if m:
        vocab[m.group(1)] = {k.strip() for k in m.group(2).split(',')}
assert not inds or len(vocab) > 40, len(vocab)
assert not inds or len(inds) == len(figs), (len(inds), len(figs))
for i, (row, f) in enumerate(zip(inds, figs), 1):
    assert set(row) == {'id', 'raw', 'indicator', 'measure', 'period', 'confidence', 'why'}, row
    assert row['id'] == 'F%03d' % i and row['raw'] == f['raw'], (row, f)
    assert row['confidence'] in ('high', 'low') and row['why'].strip(), row
    if row['indicator'] is None:
        assert row['measure'] is None, row
    else:
        assert row['indicator'] in vocab, row
        assert row['measure'] in MEASURES, row
        kinds = vocab[row['indicator']]
        ok_kind = f['kind'] in kinds or (f['kind'] == 'percent' and row['measure'] in ('share_of_plan', 'over_plan', 'change')) \
            or (f['kind'] == 'ratio' and 'money' in kinds)      # a money ratio carries its numerator's indicator
        assert ok_kind or args.any_kind, ('kind not allowed for indicator', row, f['kind'])
    if row['period'] is not None:
        assert ' '.join(row['period'].split()).lower() in ' '.join(text.split()).lower(), ('period not in the text', row)
print(len(paras), 'paragraphs,', len(figs), 'figures,', len(checks), 'checks,', len(planted), 'planted')
print('figures by kind:', dict(Counter(f['kind'] for f in figs)))
print('checks by type:', dict(Counter(c['type'] for c in checks)))
print('approx:', dict(Counter(f['approx'] for f in figs if f['approx'])))
print('indicators:', sum(r['indicator'] is not None for r in inds), 'of', len(inds), 'figures; by measure:',
      dict(Counter(r['measure'] for r in inds if r['measure'])))
print('problems:', n_bad)
for c in planted:
    print('PLANTED', c['type'], c['stated'], c['computed'], c['raws'])
