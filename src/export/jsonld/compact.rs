//! Compaction: sorted quads → one node object per subject, inside one
//! `@graph` per named graph, with values under a term only where the
//! term's definition expands them back to the same RDF term.

use super::context::{context_object, context_prefixes, Coercion, TermDefinition, TERMS};
use super::context::{Id, Language, Plain};
use super::json::Json;
use crate::vocab::*;
use oxigraph::model::vocab::xsd as oxsd;
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, HashMap};

pub(super) struct Compactor {
    /// Prefix → namespace, the shipped ones then the extra ones.
    prefixes: Vec<(String, String)>,
    extra: Vec<(String, String)>,
    terms: HashMap<&'static str, &'static TermDefinition>,
}

impl Compactor {
    pub(super) fn new(quads: &[Quad], candidates: &[(String, String)]) -> Self {
        let shipped: Vec<(String, String)> = context_prefixes()
            .into_iter()
            .map(|(p, ns)| (p.to_owned(), ns.to_owned()))
            .collect();
        let taken = |name: &str| {
            shipped.iter().any(|(p, ns)| p == name || ns == name)
                || TERMS.iter().any(|t| t.name == name)
        };
        let mut extra: Vec<(String, String)> = Vec::new();
        for (prefix, namespace) in candidates {
            if taken(prefix) || shipped.iter().any(|(_, ns)| ns == namespace) {
                continue;
            }
            if extra.iter().any(|(p, _)| p == prefix) {
                continue;
            }
            let used = quads.iter().any(|q| {
                let uses = |iri: &str| {
                    iri.strip_prefix(namespace.as_str())
                        .is_some_and(|l| !l.is_empty())
                };
                matches!(&q.subject, NamedOrBlankNode::NamedNode(n) if uses(n.as_str()))
                    || matches!(&q.object, Term::NamedNode(n) if uses(n.as_str()))
                    || matches!(&q.graph_name, GraphName::NamedNode(n) if uses(n.as_str()))
            });
            if used {
                extra.push((prefix.clone(), namespace.clone()));
            }
        }
        let mut prefixes = shipped;
        prefixes.extend(extra.iter().cloned());
        Compactor {
            prefixes,
            extra,
            terms: TERMS.iter().map(|t| (t.iri.as_str(), t)).collect(),
        }
    }

    /// `prefix:local` for the longest namespace of `iri`, else `iri`.
    fn compact_iri(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .filter_map(|(p, ns)| iri.strip_prefix(ns.as_str()).map(|l| (p, ns.len(), l)))
            .filter(|(_, _, local)| !local.is_empty() && !local.starts_with("//"))
            .max_by_key(|(_, len, _)| *len)
            .map_or_else(|| iri.to_owned(), |(p, _, local)| format!("{p}:{local}"))
    }

    /// A class for `@type`: its term, else its compact IRI.
    fn compact_vocab(&self, iri: &str) -> String {
        match self.terms.get(iri) {
            Some(t) if t.coercion == Plain => t.name.to_owned(),
            _ => self.compact_iri(iri),
        }
    }

    fn node_id(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.compact_iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        }
    }

    /// A value under a key with no coercion.
    fn value(&self, term: &Term) -> Json {
        match term {
            Term::NamedNode(n) => Json::Object(vec![(
                "@id".into(),
                Json::String(self.compact_iri(n.as_str())),
            )]),
            Term::BlankNode(b) => Json::Object(vec![("@id".into(), Json::String(b.to_string()))]),
            Term::Literal(l) => {
                if let Some(language) = l.language() {
                    return Json::Object(vec![
                        ("@value".into(), Json::str(l.value())),
                        ("@language".into(), Json::str(language)),
                    ]);
                }
                let datatype = l.datatype();
                if datatype == oxsd::STRING {
                    Json::str(l.value())
                } else if (datatype == oxsd::BOOLEAN && matches!(l.value(), "true" | "false"))
                    || (datatype == oxsd::INTEGER && is_canonical_integer(l.value()))
                {
                    // JSON numbers and booleans expand to these literals.
                    Json::Raw(l.value().to_owned())
                } else {
                    Json::Object(vec![
                        ("@value".into(), Json::str(l.value())),
                        (
                            "@type".into(),
                            Json::String(self.compact_vocab(datatype.as_str())),
                        ),
                    ])
                }
            }
            #[allow(unreachable_patterns)]
            _ => Json::str(term.to_string()),
        }
    }

    pub(super) fn document(&self, quads: &[Quad]) -> Json {
        let mut context = vec![context_object()];
        if !self.extra.is_empty() {
            context.push(Json::Object(
                self.extra
                    .iter()
                    .map(|(p, ns)| (p.clone(), Json::str(ns.as_str())))
                    .collect(),
            ));
        }
        let context = if context.len() == 1 {
            context.remove(0)
        } else {
            Json::Array(context)
        };
        // Quads come sorted by graph, then subject: split them in runs.
        let mut default_nodes: Vec<(NamedOrBlankNode, Vec<(String, Json)>)> = Vec::new();
        let mut graphs: Vec<(NamedOrBlankNode, Vec<Json>)> = Vec::new();
        for run in quads.chunk_by(|a, b| a.graph_name == b.graph_name) {
            let nodes = self.nodes(run);
            match &run[0].graph_name {
                GraphName::DefaultGraph => default_nodes.extend(nodes),
                GraphName::NamedNode(n) => graphs.push((
                    n.clone().into(),
                    nodes.into_iter().map(|(_, n)| Json::Object(n)).collect(),
                )),
                GraphName::BlankNode(b) => graphs.push((
                    b.clone().into(),
                    nodes.into_iter().map(|(_, n)| Json::Object(n)).collect(),
                )),
            }
        }
        for (name, nodes) in graphs {
            let graph_entry = ("@graph".to_owned(), Json::Array(nodes));
            match default_nodes.iter_mut().find(|(id, _)| *id == name) {
                Some((_, node)) => node.push(graph_entry),
                None => default_nodes.push((
                    name.clone(),
                    vec![
                        ("@id".to_owned(), Json::String(self.node_id(&name))),
                        graph_entry,
                    ],
                )),
            }
        }
        Json::Object(vec![
            ("@context".into(), context),
            (
                "@graph".into(),
                Json::Array(
                    default_nodes
                        .into_iter()
                        .map(|(_, n)| Json::Object(n))
                        .collect(),
                ),
            ),
        ])
    }

    /// The node objects of the quads of one graph (sorted by subject).
    fn nodes(&self, quads: &[Quad]) -> Vec<(NamedOrBlankNode, Vec<(String, Json)>)> {
        quads
            .chunk_by(|a, b| a.subject == b.subject)
            .map(|run| (run[0].subject.clone(), self.node(&run[0].subject, run)))
            .collect()
    }

    fn node(&self, subject: &NamedOrBlankNode, quads: &[Quad]) -> Vec<(String, Json)> {
        let mut entries = vec![("@id".to_owned(), Json::String(self.node_id(subject)))];
        // Group the objects by predicate, keeping the sorted order.
        let mut groups: Vec<(NamedNodeRef<'_>, Vec<&Term>)> = Vec::new();
        for quad in quads {
            match groups.last_mut() {
                Some((p, objects)) if *p == quad.predicate.as_ref() => objects.push(&quad.object),
                _ => groups.push((quad.predicate.as_ref(), vec![&quad.object])),
            }
        }
        for (predicate, objects) in groups {
            let mut under_term: Vec<Json> = Vec::new();
            let mut languages: BTreeMap<String, Vec<Json>> = BTreeMap::new();
            let mut others: Vec<Json> = Vec::new();
            if predicate == rdf::TYPE {
                for object in &objects {
                    match object {
                        Term::NamedNode(n) => {
                            under_term.push(Json::String(self.compact_vocab(n.as_str())))
                        }
                        Term::BlankNode(b) => under_term.push(Json::String(b.to_string())),
                        other => others.push(self.value(other)),
                    }
                }
                push_values(&mut entries, "@type".into(), under_term);
                push_values(&mut entries, self.compact_iri(predicate.as_str()), others);
                continue;
            }
            let definition = self.terms.get(predicate.as_str()).copied();
            let coercion = definition.map(|d| d.coercion);
            let all_plain = objects
                .iter()
                .all(|o| matches!(o, Term::Literal(l) if l.datatype() == oxsd::STRING));
            for object in &objects {
                match (coercion, object) {
                    (Some(Id), Term::NamedNode(n)) => {
                        under_term.push(Json::String(self.compact_iri(n.as_str())))
                    }
                    (Some(Id), Term::BlankNode(b)) => under_term.push(Json::String(b.to_string())),
                    (Some(Coercion::Datatype(datatype)), Term::Literal(l))
                        if l.datatype() == datatype =>
                    {
                        under_term.push(Json::str(l.value()))
                    }
                    (Some(Language), Term::Literal(l)) if l.language().is_some() => languages
                        .entry(l.language().unwrap_or_default().to_owned())
                        .or_default()
                        .push(Json::str(l.value())),
                    // A plain string expands to itself under a language
                    // container, but only alone (a map cannot hold it).
                    (Some(Language), Term::Literal(_)) if all_plain => {
                        under_term.push(self.value(object))
                    }
                    (Some(Plain), _) => under_term.push(self.value(object)),
                    _ => others.push(self.value(object)),
                }
            }
            if let Some(definition) = definition {
                if !languages.is_empty() {
                    let map = languages
                        .into_iter()
                        .map(|(language, mut values)| {
                            let value = if values.len() == 1 {
                                values.remove(0)
                            } else {
                                Json::Array(values)
                            };
                            (language, value)
                        })
                        .collect();
                    entries.push((definition.name.to_owned(), Json::Object(map)));
                }
                push_values(&mut entries, definition.name.to_owned(), under_term);
            }
            push_values(&mut entries, self.compact_iri(predicate.as_str()), others);
        }
        entries
    }
}

/// Adds `key: value` (or `key: [values]`) when there are values.
fn push_values(entries: &mut Vec<(String, Json)>, key: String, mut values: Vec<Json>) {
    match values.len() {
        0 => {}
        1 => entries.push((key, values.remove(0))),
        _ => entries.push((key, Json::Array(values))),
    }
}

/// `xsd:integer` lexical forms that a JSON number gives back unchanged.
fn is_canonical_integer(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && value != "-0"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_integers_are_those_json_gives_back() {
        for good in ["0", "12", "-3", "123456789012345"] {
            assert!(is_canonical_integer(good), "{good}");
        }
        for bad in ["007", "+1", "-0", "", "1.0", "1234567890123456"] {
            assert!(!is_canonical_integer(bad), "{bad}");
        }
    }
}
