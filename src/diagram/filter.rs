//! Step 2, filter: `--include` and `--exclude` keep or drop classes of
//! nodes and kinds of links; provenance links and the redundant half of
//! inverse pairs are dropped unless `--include` names them.

use super::error::{suggest, DiagramError};
use super::load::{Link, Loaded, Resource};
use super::options::DiagramOptions;
use super::style;
use crate::iri::{abbreviate, prefixes_for, Iris, ONTOLOGY_GRAPH};
use crate::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};
use oxigraph::store::Store;
use petgraph::visit::EdgeRef;
use std::collections::HashSet;

/// `--include` and `--exclude`, resolved to term ids.
/// The id given to an `--include`/`--exclude` term no record uses: no
/// node or link has it.
const NO_TERM: u32 = u32::MAX;

#[derive(Debug, Default)]
pub(super) struct Filter {
    include_classes: HashSet<u32>,
    include_properties: HashSet<u32>,
    exclude_classes: HashSet<u32>,
    exclude_properties: HashSet<u32>,
    hidden_classes: HashSet<u32>,
}

const OWL_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
const RDFS_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#Class");
const PROPERTY_TYPES: &[NamedNodeRef<'static>] = &[
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#AnnotationProperty"),
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermKind {
    Class,
    Property,
}

impl Filter {
    pub(super) fn resolve(
        loaded: &Loaded,
        store: &Store,
        iris: &Iris,
        options: &DiagramOptions,
    ) -> Result<Self, DiagramError> {
        let prefixes = prefixes_for(iris);
        let mut filter = Filter::default();
        let (used_classes, used_properties) =
            if options.include.is_empty() && options.exclude.is_empty() {
                (HashSet::new(), HashSet::new())
            } else {
                let classes: HashSet<u32> = loaded
                    .graph
                    .node_weights()
                    .flat_map(|r| r.classes.iter().copied())
                    .collect();
                let properties: HashSet<u32> = loaded
                    .graph
                    .edge_references()
                    .filter(|e| loaded.present(e.source()) && loaded.present(e.target()))
                    .map(|e| e.weight().property)
                    .collect();
                (classes, properties)
            };
        for (names, include) in [(&options.include, true), (&options.exclude, false)] {
            for given in names {
                let iri = expand_term(given, &prefixes)?;
                let kind = match loaded.terms.id(&iri) {
                    Some(id) if used_classes.contains(&id) => TermKind::Class,
                    Some(id) if used_properties.contains(&id) => TermKind::Property,
                    _ => declared_kind(store, iris, &iri)?.ok_or_else(|| {
                        DiagramError::UnknownTerm {
                            given: given.clone(),
                            suggestion: suggest(
                                given,
                                used_classes
                                    .iter()
                                    .chain(&used_properties)
                                    .map(|&id| abbreviate(loaded.terms.name(id), &prefixes)),
                            ),
                        }
                    })?,
                };
                // A term declared but used by no record matches nothing.
                let id = loaded.terms.id(&iri).unwrap_or(NO_TERM);
                let set = match (kind, include) {
                    (TermKind::Class, true) => &mut filter.include_classes,
                    (TermKind::Class, false) => &mut filter.exclude_classes,
                    (TermKind::Property, true) => &mut filter.include_properties,
                    (TermKind::Property, false) => &mut filter.exclude_properties,
                };
                set.insert(id);
            }
        }
        filter.hidden_classes = style::HIDDEN_CLASSES
            .iter()
            .filter_map(|c| loaded.term_id(*c))
            .filter(|c| !filter.include_classes.contains(c))
            .collect();
        Ok(filter)
    }

    pub(super) fn keeps_node(&self, resource: &Resource) -> bool {
        let has = |set: &HashSet<u32>| resource.classes.iter().any(|c| set.contains(c));
        if has(&self.exclude_classes) || has(&self.hidden_classes) {
            return false;
        }
        self.include_classes.is_empty() || has(&self.include_classes)
    }

    pub(super) fn keeps_link(&self, link: &Link) -> bool {
        if self.exclude_properties.contains(&link.property) {
            return false;
        }
        if self.include_properties.is_empty() {
            !link.hidden
        } else {
            self.include_properties.contains(&link.property)
        }
    }
}

/// The IRI a `--include`/`--exclude`/`--focus` term names: `<IRI>`, an
/// absolute IRI, or a prefixed name.
pub(super) fn expand_term(
    given: &str,
    prefixes: &[(String, String)],
) -> Result<String, DiagramError> {
    let text = given.trim();
    if let Some(inner) = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        return Ok(inner.to_owned());
    }
    if let Some((prefix, local)) = text.split_once(':') {
        if let Some((_, namespace)) = prefixes.iter().find(|(p, _)| p == prefix) {
            return Ok(format!("{namespace}{local}"));
        }
        if NamedNode::new(text).is_ok() {
            return Ok(text.to_owned());
        }
    }
    Err(DiagramError::BadTerm {
        given: given.to_owned(),
    })
}

/// Whether the ontology graph declares `iri` a class or a property.
fn declared_kind(store: &Store, iris: &Iris, iri: &str) -> Result<Option<TermKind>, DiagramError> {
    let Ok(term) = NamedNode::new(iri) else {
        return Ok(None);
    };
    let ontology = NamedNode::new_unchecked(iris.graph(ONTOLOGY_GRAPH));
    let graph = GraphNameRef::NamedNode(ontology.as_ref());
    for quad in store.quads_for_pattern(
        Some(term.as_ref().into()),
        Some(rdf::TYPE),
        None,
        Some(graph),
    ) {
        if let Term::NamedNode(kind) = quad?.object {
            if kind.as_ref() == OWL_CLASS || kind.as_ref() == RDFS_CLASS {
                return Ok(Some(TermKind::Class));
            }
            if PROPERTY_TYPES.contains(&kind.as_ref()) {
                return Ok(Some(TermKind::Property));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_expand_from_prefixes_and_iris() {
        let prefixes = vec![(
            "pg".to_owned(),
            "https://example.org/polegraph/ns#".to_owned(),
        )];
        assert_eq!(
            expand_term("pg:Pole", &prefixes).unwrap(),
            "https://example.org/polegraph/ns#Pole"
        );
        assert_eq!(expand_term("<urn:x:y>", &prefixes).unwrap(), "urn:x:y");
        assert_eq!(
            expand_term("http://www.w3.org/ns/org#memberOf", &prefixes).unwrap(),
            "http://www.w3.org/ns/org#memberOf"
        );
        assert!(matches!(
            expand_term("Pole", &prefixes),
            Err(DiagramError::BadTerm { .. })
        ));
    }
}
