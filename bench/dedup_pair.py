#!/usr/bin/env python3
"""Cost of one (row, unique row) comparison in abacus-collection-replica's de-duplication.

Rucio 1.23.10 on PostgreSQL de-duplicates UPDATED_COL_REP in Python: for every row of the
table it builds {'name', 'scope', 'rse_id'} and tests `small_request not in unique_list`
(1.23.10:lib/rucio/core/replica.py#L2647-2660), so CPU ~ rows x unique rows x this cost.

What one comparison does depends on the row types and on dict iteration order:
- `scope` is an InternalScope built per row by the column type, whose __eq__ is a Python
  method (1.23.10:lib/rucio/common/types.py#L50-53); `rse_id` is a str made per row by the
  GUID type (1.23.10:lib/rucio/db/sqla/types.py#L77-85).
- The 1.23.10 daemon image is CentOS 7 with its Python 2.7
  (containers@1.23.10:daemons/Dockerfile#L12-24). CPython 2.7 compares two dicts key by key
  in hash-slot order; for these three keys that order is scope, rse_id, name (computed in
  `slot_order_py27` below from 2.7's string hash), so every comparison calls
  InternalScope.__eq__ first, and rows of one scope and RSE get as far as the name.
- CPython 3.7+ compares in insertion order (name first), which is why a plain dict pair is
  cheap there.

No Python 2.7 is packaged for Debian 12, so the figure measured here is CPython 3 running
the 2.7 comparison order (dicts built in slot order) with a type whose __eq__ does what
InternalScope's does. CPython 2.7 calls Python-level __eq__ more slowly than 3.11, so the
figure is a lower bound for the image of the day.

Usage: python3 bench/dedup_pair.py   (prints ns per pair for each case)
"""
import sys
import timeit


class ScopeLike(object):
    """Same comparison as 1.23.10's InternalType.__eq__: class check, then the internal str."""

    def __init__(self, internal):
        self.internal = internal
        self.external = internal
        self.vo = 'def'

    def __eq__(self, other):
        if isinstance(other, self.__class__):
            return self.internal == other.internal
        return NotImplemented

    def __ne__(self, other):
        val = self == other
        if val is NotImplemented:
            return NotImplemented
        return not val

    __hash__ = None


def py27_str_hash(s):
    """CPython 2.7's string hash (Objects/stringobject.c string_hash, no -R), 64-bit."""
    mask = 2 ** 64
    x = (ord(s[0]) << 7) % mask
    for c in s:
        x = ((1000003 * x) % mask) ^ ord(c)
    x ^= len(s)
    return x


def slot_order_py27(keys, table_size=8):
    """Order in which CPython 2.7 iterates a small dict with these keys (open addressing)."""
    table = [None] * table_size
    for k in keys:
        h = py27_str_hash(k)
        i, perturb = h & (table_size - 1), h
        while table[i] is not None:
            i = (5 * i + 1 + perturb) & (table_size - 1)
            perturb >>= 5
        table[i] = k
    return [k for k in table if k is not None]


def per_pair_ns(rows, uniques, repeat=5):
    """Best time of `row not in uniques` for every row, per (row, unique) pair."""
    def run():
        for r in rows:
            r in uniques  # noqa: B015 (the membership test is what is timed)
    best = min(timeit.repeat(run, number=1, repeat=repeat))
    return best / (len(rows) * len(uniques)) * 1e9


def make(n_unique, n_rows, order, scope_type):
    rse = '%032x' % 0xE1A0  # one RSE, as a container rule's rows are (all EULAKE-1)
    def row(i):
        values = {'name': 'mft_dataset_%06d' % i, 'scope': scope_type('SKA_SKAO_TEAM_MFT'),
                  'rse_id': ''.join(list(rse))}  # a fresh str per row, as the GUID type makes
        return {k: values[k] for k in order}
    uniques = [row(i) for i in range(n_unique)]
    # Rows whose key is not yet in the list scan all of it (the common case while the list
    # grows); new objects each, as every ORM row brings its own.
    rows = [row(n_unique + i) for i in range(n_rows)]
    return rows, uniques


def main():
    order27 = slot_order_py27(['name', 'scope', 'rse_id'])
    print('python', sys.version.split()[0])
    print('CPython 2.7 iteration order of the with-rse dict:', ', '.join(order27))
    cases = [
        ('str scope, name first (3.7+ order)', ['name', 'scope', 'rse_id'], str),
        ('InternalScope, name first (3.7+ order)', ['name', 'scope', 'rse_id'], ScopeLike),
        ('InternalScope, 2.7 order (the FDR image)', order27, ScopeLike),
    ]
    for label, order, scope_type in cases:
        rows, uniques = make(500, 400, order, scope_type)
        print('%-44s %6.1f ns per pair' % (label, per_pair_ns(rows, uniques)))


if __name__ == '__main__':
    main()
