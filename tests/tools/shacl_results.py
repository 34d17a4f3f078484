#!/usr/bin/env python3
"""Prints SHACL validation results as sorted, unique lines that
`polegraph validate --format tsv` prints too, so that two engines can be
compared line by line:

    focus <TAB> path <TAB> constraint component <TAB> source shape <TAB> severity

IRIs are written <...>, literals in N-Triples form, blank nodes `_`, paths
in SPARQL property-path syntax (`-` for none).

    shacl_results.py pyshacl DATA.ttl SHAPES.ttl
        runs pySHACL (no inference) and prints its results; the first line
        on stderr says `conforms True|False`
    shacl_results.py report REPORT.ttl [SHAPES.ttl]
        prints the results of a sh:ValidationReport written in Turtle (such
        as `polegraph validate --format ttl`)
"""
import sys

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def literal(term):
    value = (
        str(term)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    if term.language:
        return f'"{value}"@{term.language}'
    if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{value}"^^<{term.datatype}>'
    return f'"{value}"'


def node(term):
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return literal(term)
    return "_"


def path(graphs, term):
    """The SHACL path at `term`, in SPARQL syntax (as src/validate/shapes.rs
    renders it)."""
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"

    def value(predicate):
        for graph in graphs:
            found = graph.value(term, predicate)
            if found is not None:
                return found
        return None

    def items(head):
        for graph in graphs:
            if graph.value(head, RDF.first) is not None:
                return list(Collection(graph, head))
        return []

    def group(inner):
        text = path(graphs, inner)
        if isinstance(inner, rdflib.URIRef) or text.startswith("("):
            return text
        return f"({text})"

    if value(RDF.first) is not None:
        steps = items(term)
        if len(steps) == 1:
            return path(graphs, steps[0])
        return "(" + "/".join(group(s) for s in steps) + ")"
    inverse = value(SH.inversePath)
    if inverse is not None:
        return "^" + group(inverse)
    alternatives = value(SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(group(s) for s in items(alternatives)) + ")"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = value(predicate)
        if inner is not None:
            return group(inner) + suffix
    return "?"


def lines(report, extra_graphs=()):
    graphs = [report, *extra_graphs]
    out = set()
    for result in report.objects(None, SH.result):
        result_path = report.value(result, SH.resultPath)
        out.add(
            "\t".join(
                [
                    node(report.value(result, SH.focusNode)),
                    "-" if result_path is None else path(graphs, result_path),
                    node(report.value(result, SH.sourceConstraintComponent)),
                    node(report.value(result, SH.sourceShape)),
                    node(report.value(result, SH.resultSeverity)),
                ]
            )
        )
    return sorted(out)


def main(args):
    if len(args) == 3 and args[0] == "pyshacl":
        import pyshacl

        data = rdflib.Graph().parse(args[1], format="turtle")
        shapes = rdflib.Graph().parse(args[2], format="turtle")
        conforms, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_warnings=False,
            meta_shacl=False,
            advanced=False,
        )
        print(f"conforms {conforms}", file=sys.stderr)
        for line in lines(report, [shapes]):
            print(line)
        return 0
    if len(args) in (2, 3) and args[0] == "report":
        report = rdflib.Graph().parse(args[1], format="turtle")
        shapes = [rdflib.Graph().parse(args[2], format="turtle")] if len(args) == 3 else []
        conforms = next(report.objects(None, SH.conforms), None)
        print(f"conforms {conforms}", file=sys.stderr)
        for line in lines(report, shapes):
            print(line)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
