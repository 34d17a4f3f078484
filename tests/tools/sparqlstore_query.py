#!/usr/bin/env python3
"""Runs SPARQL queries against an endpoint with rdflib's SPARQLStore, a
client polegraph shares no code with, and prints the answers as JSON:

    sparqlstore_query.py ENDPOINT METHOD QUERY_FILE [METHOD QUERY_FILE ...]
    -> [{"file": QUERY_FILE, "vars": [...], "rows": [[value or null, ...], ...]}, ...]

METHOD is how SPARQLStore sends the query: GET, POST (the query as the
body, application/sparql-query) or POST_FORM (urlencoded). Values are the
terms' lexical forms (str() of rdflib terms).
"""
import json
import sys

import rdflib
from rdflib.namespace import NamespaceManager
from rdflib.plugins.stores.sparqlstore import SPARQLStore


def run(endpoint, method, path):
    store = SPARQLStore(query_endpoint=endpoint, method=method, returnFormat="xml")
    # A dataset whose default graph is the union: rdflib then sends no
    # default-graph-uri (a plain Graph would send its own identifier). No
    # bound namespaces: rdflib would add PREFIX lines (schema: as https).
    graph = rdflib.Dataset(store=store, default_union=True)
    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    result = graph.query(text)
    names = [str(v) for v in result.vars]
    rows = [[None if term is None else str(term) for term in row] for row in result]
    return {"file": path, "vars": names, "rows": rows}


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint = argv[1]
    pairs = list(zip(argv[2::2], argv[3::2]))
    answers = [run(endpoint, method, path) for method, path in pairs]
    json.dump(answers, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
