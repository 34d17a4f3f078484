#!/usr/bin/env python3
"""Reads RDF files with rdflib, an RDF parser polegraph does not share code
with, and prints what it found, one line per file:

    rdflib_read.py FORMAT FILE [FORMAT FILE ...]
    -> FILE <TAB> number of triples (or quads for a dataset format)

With --isomorphic A_FORMAT A B_FORMAT B it checks that two files hold
isomorphic graphs (the union of their graphs) and exits 1 if not.
"""
import sys

import rdflib
from rdflib.compare import isomorphic

DATASET_FORMATS = {"trig", "nquads", "json-ld"}


def load(fmt, path):
    if fmt in DATASET_FORMATS:
        data = rdflib.Dataset()
        data.parse(path, format=fmt)
        return data
    graph = rdflib.Graph()
    graph.parse(path, format=fmt)
    return graph


def size(data):
    if isinstance(data, rdflib.Dataset):
        return sum(1 for _ in data.quads((None, None, None, None)))
    return len(data)


def union(data):
    graph = rdflib.Graph()
    if isinstance(data, rdflib.Dataset):
        for s, p, o, _ in data.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        for triple in data:
            graph.add(triple)
    return graph


def main(args):
    if args and args[0] == "--isomorphic":
        a = union(load(args[1], args[2]))
        b = union(load(args[3], args[4]))
        if not isomorphic(a, b):
            print(f"not isomorphic: {args[2]} ({len(a)}) vs {args[4]} ({len(b)})")
            return 1
        print(f"isomorphic\t{len(a)}")
        return 0
    for fmt, path in zip(args[::2], args[1::2]):
        print(f"{path}\t{size(load(fmt, path))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
