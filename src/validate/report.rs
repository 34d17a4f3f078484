//! The validation report: its results, and the three ways polegraph writes
//! it (text for people, the standard `sh:ValidationReport` in Turtle, and
//! one TSV line per result for comparing with other SHACL engines).

use super::path::Path;
use crate::export::write_quads;
use crate::format::GraphFormat;
use crate::iri::abbreviate;
use crate::vocab::sh;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    BlankNode, Graph, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode,
    NamedOrBlankNodeRef, Quad, Term, TermRef,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationResult {
    pub focus: Term,
    /// `sh:resultPath`, for results of property shapes.
    pub path: Option<Path>,
    /// The `sh:path` node of the shapes graph (copied into Turtle reports).
    pub path_node: Option<Term>,
    pub value: Option<Term>,
    /// `sh:sourceConstraintComponent`.
    pub component: NamedNode,
    /// `sh:sourceShape`: the shape that holds the constraint.
    pub source_shape: NamedOrBlankNode,
    /// The shape with the target that selected the focus node (reports are
    /// grouped by it).
    pub root_shape: NamedOrBlankNode,
    pub root_label: Option<String>,
    /// `sh:resultSeverity`.
    pub severity: NamedNode,
    /// `sh:resultMessage`: the `sh:message` values of the source shape.
    pub messages: Vec<Literal>,
}

impl ValidationResult {
    fn key(&self) -> (String, String, String, String, String, String) {
        (
            self.root_shape.to_string(),
            self.focus.to_string(),
            self.path.as_ref().map(Path::sparql).unwrap_or_default(),
            self.component.as_str().to_owned(),
            self.source_shape.to_string(),
            self.value
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
    }

    /// The message for people: the English `sh:message`, else the first
    /// one, else a description of the component.
    pub fn message(&self) -> String {
        self.messages
            .iter()
            .find(|m| m.language() == Some("en"))
            .or_else(|| self.messages.first())
            .map(|m| m.value().to_owned())
            .unwrap_or_else(|| {
                let name = self.component.as_str();
                let name = name.strip_prefix(sh::NAMESPACE).unwrap_or(name);
                format!(
                    "the value does not satisfy {}",
                    name.strip_suffix("ConstraintComponent").unwrap_or(name)
                )
            })
    }
}

/// A shape with targets, and how many focus nodes it selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedShape {
    pub shape: NamedOrBlankNode,
    pub label: Option<String>,
    pub focus_nodes: usize,
}

/// The outcome of [`super::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationReport {
    /// Sorted by root shape, focus node, path, component, source shape and
    /// value. Two results may be alike: SHACL reports a constraint once per
    /// time it fails (two `sh:class` on one shape, a property shape reached
    /// through two parents).
    pub results: Vec<ValidationResult>,
    /// Every shape with targets, in the order evaluated.
    pub checked: Vec<CheckedShape>,
}

/// The IRI of a severity, shortened for people (`Violation`).
fn severity_name(severity: &NamedNode) -> &str {
    severity
        .as_str()
        .strip_prefix(sh::NAMESPACE)
        .unwrap_or(severity.as_str())
}

impl ValidationReport {
    pub(crate) fn new(mut results: Vec<ValidationResult>, checked: Vec<CheckedShape>) -> Self {
        results.sort_by_cached_key(ValidationResult::key);
        ValidationReport { results, checked }
    }

    /// `sh:conforms`: no result of any severity.
    pub fn conforms(&self) -> bool {
        self.results.is_empty()
    }

    /// The number of results of `severity`.
    pub fn count(&self, severity: NamedNodeRef<'_>) -> usize {
        self.results
            .iter()
            .filter(|r| r.severity.as_ref() == severity)
            .count()
    }

    /// The number of results of severity `sh:Violation`.
    pub fn violations(&self) -> usize {
        self.count(sh::VIOLATION)
    }

    /// The report for people: a summary line, then the results grouped by
    /// the shape that targeted their focus node.
    pub fn write_text(&self, prefixes: &[(String, String)], w: &mut dyn Write) -> io::Result<()> {
        let iri = |value: &str| abbreviate(value, prefixes);
        // Blank node labels change from run to run: an anonymous shape is `[]`.
        let node = |n: &NamedOrBlankNode| match n {
            NamedOrBlankNode::NamedNode(n) => iri(n.as_str()),
            NamedOrBlankNode::BlankNode(_) => "[]".to_owned(),
        };
        let focus_nodes: usize = self.checked.iter().map(|c| c.focus_nodes).sum();
        if self.conforms() {
            writeln!(
                w,
                "Conforms: yes. {} shapes with targets selected {focus_nodes} focus nodes; no results.",
                self.checked.len()
            )?;
            let names: Vec<String> = self
                .checked
                .iter()
                .map(|c| match &c.label {
                    Some(label) => format!("{} ({label})", node(&c.shape)),
                    None => node(&c.shape),
                })
                .collect();
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
            for (name, checked) in names.iter().zip(&self.checked) {
                let pad = width - name.chars().count();
                writeln!(w, "  {name}{}  {:>6}", " ".repeat(pad), checked.focus_nodes)?;
            }
            return Ok(());
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        writeln!(
            w,
            "Conforms: no. {}, {}, {} ({} shapes with targets selected {focus_nodes} focus nodes).",
            plural(self.violations(), "violation"),
            plural(self.count(sh::WARNING), "warning"),
            plural(self.count(sh::INFO), "info"),
            self.checked.len()
        )?;
        let mut groups: BTreeMap<String, Vec<&ValidationResult>> = BTreeMap::new();
        for result in &self.results {
            groups
                .entry(result.root_shape.to_string())
                .or_default()
                .push(result);
        }
        for results in groups.values() {
            let first = results[0];
            writeln!(w)?;
            let label = first
                .root_label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            writeln!(
                w,
                "{}{label}: {}",
                node(&first.root_shape),
                plural(results.len(), "result")
            )?;
            for result in results {
                writeln!(w)?;
                writeln!(w, "  focus     {}", term(&result.focus, prefixes))?;
                if let Some(path) = &result.path {
                    writeln!(w, "  path      {}", path.render(&iri))?;
                }
                if let Some(value) = &result.value {
                    writeln!(w, "  value     {}", term(value, prefixes))?;
                }
                writeln!(w, "  severity  {}", severity_name(&result.severity))?;
                writeln!(w, "  message   {}", result.message())?;
                writeln!(
                    w,
                    "  shape     {} ({})",
                    node(&result.source_shape),
                    iri(result.component.as_str())
                )?;
            }
        }
        Ok(())
    }

    /// One line per result, sorted, without duplicates: focus node, path,
    /// constraint component, source shape and severity, tab-separated, IRIs
    /// written `<…>`, paths in SPARQL syntax (`-` for none), blank nodes `_`.
    /// `tests/tools/shacl_results.py` prints pySHACL's reports the same way.
    pub fn tsv_lines(&self) -> Vec<String> {
        let node = |n: &NamedOrBlankNode| match n {
            NamedOrBlankNode::NamedNode(n) => format!("<{}>", n.as_str()),
            NamedOrBlankNode::BlankNode(_) => "_".to_owned(),
        };
        let mut lines: Vec<String> = self
            .results
            .iter()
            .map(|r| {
                let focus = match &r.focus {
                    Term::BlankNode(_) => "_".to_owned(),
                    other => other.to_string(),
                };
                format!(
                    "{focus}\t{}\t<{}>\t{}\t<{}>",
                    r.path.as_ref().map_or_else(|| "-".to_owned(), Path::sparql),
                    r.component.as_str(),
                    node(&r.source_shape),
                    r.severity.as_str()
                )
            })
            .collect();
        lines.sort();
        lines.dedup();
        lines
    }

    pub fn write_tsv(&self, w: &mut dyn Write) -> io::Result<()> {
        for line in self.tsv_lines() {
            writeln!(w, "{line}")?;
        }
        Ok(())
    }

    /// The report as RDF: an `sh:ValidationReport` with one
    /// `sh:ValidationResult` per result. Complex paths are copied from the
    /// shapes graph.
    pub fn to_quads(&self, shapes: &Graph) -> Vec<Quad> {
        let mut quads = Vec::new();
        let mut add = |s: NamedOrBlankNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s, p.into_owned(), o, GraphName::DefaultGraph));
        };
        let report: NamedOrBlankNode = BlankNode::new_unchecked("report").into();
        add(
            report.clone(),
            rdf::TYPE,
            sh::VALIDATION_REPORT.into_owned().into(),
        );
        add(
            report.clone(),
            sh::CONFORMS,
            Literal::new_typed_literal(self.conforms().to_string(), xsd::BOOLEAN).into(),
        );
        let mut copies = Vec::new();
        for (n, result) in self.results.iter().enumerate() {
            let id = format!("r{:05}", n + 1);
            let node: NamedOrBlankNode = BlankNode::new_unchecked(id.clone()).into();
            add(report.clone(), sh::RESULT, node.clone().into());
            add(
                node.clone(),
                rdf::TYPE,
                sh::VALIDATION_RESULT.into_owned().into(),
            );
            add(node.clone(), sh::FOCUS_NODE, result.focus.clone());
            if let Some(path) = &result.path_node {
                let path = copy_blank_nodes(shapes, path.as_ref(), &format!("{id}p"), &mut copies);
                add(node.clone(), sh::RESULT_PATH, path);
            }
            if let Some(value) = &result.value {
                add(node.clone(), sh::VALUE, value.clone());
            }
            add(
                node.clone(),
                sh::RESULT_SEVERITY,
                result.severity.clone().into(),
            );
            add(
                node.clone(),
                sh::SOURCE_CONSTRAINT_COMPONENT,
                result.component.clone().into(),
            );
            let source: Term = match &result.source_shape {
                NamedOrBlankNode::NamedNode(n) => n.clone().into(),
                NamedOrBlankNode::BlankNode(_) => BlankNode::new_unchecked(format!("{id}s")).into(),
            };
            add(node.clone(), sh::SOURCE_SHAPE, source);
            for message in &result.messages {
                add(node.clone(), sh::RESULT_MESSAGE, message.clone().into());
            }
        }
        quads.extend(copies);
        quads
    }

    /// The report in Turtle.
    pub fn write_turtle<W: Write>(
        &self,
        shapes: &Graph,
        prefixes: &[(String, String)],
        w: W,
    ) -> io::Result<W> {
        write_quads(&self.to_quads(shapes), GraphFormat::Turtle, prefixes, w)
    }
}

/// `term` for people: prefixed names, literals with their tag or datatype.
fn term(term: &Term, prefixes: &[(String, String)]) -> String {
    match term {
        Term::NamedNode(n) => abbreviate(n.as_str(), prefixes),
        Term::Literal(l) => {
            let quoted = Term::from(Literal::new_simple_literal(l.value())).to_string();
            match l.language() {
                Some(language) => format!("{quoted}@{language}"),
                None if l.datatype() == xsd::STRING => quoted,
                None => format!("{quoted}^^{}", abbreviate(l.datatype().as_str(), prefixes)),
            }
        }
        other => other.to_string(),
    }
}

/// Copies `node` and, if it is a blank node, the triples of the shapes
/// graph reachable from it through blank nodes, renaming each blank node
/// with `prefix` (so copies of the same path in two results stay apart).
fn copy_blank_nodes(shapes: &Graph, node: TermRef<'_>, prefix: &str, out: &mut Vec<Quad>) -> Term {
    let mut names: HashMap<String, BlankNode> = HashMap::new();
    let rename = |b: &str, names: &mut HashMap<String, BlankNode>| -> (BlankNode, bool) {
        let fresh = !names.contains_key(b);
        let next = names.len();
        let copy = names
            .entry(b.to_owned())
            .or_insert_with(|| BlankNode::new_unchecked(format!("{prefix}{next}")))
            .clone();
        (copy, fresh)
    };
    let TermRef::BlankNode(start) = node else {
        return node.into_owned();
    };
    let (copy, _) = rename(start.as_str(), &mut names);
    let mut queue = vec![start.into_owned()];
    while let Some(blank) = queue.pop() {
        let subject = names[blank.as_str()].clone();
        for triple in shapes.triples_for_subject(NamedOrBlankNodeRef::from(blank.as_ref())) {
            let object = match triple.object {
                TermRef::BlankNode(b) => {
                    let (copy, fresh) = rename(b.as_str(), &mut names);
                    if fresh {
                        queue.push(b.into_owned());
                    }
                    copy.into()
                }
                other => other.into_owned(),
            };
            out.push(Quad::new(
                subject.clone(),
                triple.predicate.into_owned(),
                object,
                GraphName::DefaultGraph,
            ));
        }
    }
    copy.into()
}
