//! How the mapper writes a record's facts: each triple into the graph of
//! every source that states it (or into the inferred graph), and, for a
//! fact that is not plainly confirmed or carries a note, an RDF 1.1
//! statement node (`rdf:Statement`) with its confidence, note and sources.

use crate::iri::{Iris, RecordKind, INFERRED_GRAPH};
use crate::model::{Common, Confidence};
use crate::vocab::*;
use oxigraph::model::{
    GraphNameRef, LiteralRef, NamedNodeRef, NamedOrBlankNodeRef, QuadRef, TermRef,
};
use std::collections::BTreeSet;
use std::io;

/// Where mapped quads go.
pub trait QuadSink {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()>;
}

impl QuadSink for Vec<oxigraph::model::Quad> {
    fn add(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.push(quad.into_owned());
        Ok(())
    }
}

/// Maps records one at a time (for callers that stream records instead of
/// holding a whole dataset).
pub struct Mapper<'a, S> {
    pub(super) iris: &'a Iris,
    pub(super) sink: &'a mut S,
    /// Reused for the IRIs of linked records, to spare an allocation each.
    scratch: String,
    /// Reused for each record's subject, graphs and statement IRIs.
    subject_buffer: String,
    graphs_buffer: Vec<String>,
    statement_buffer: String,
    /// The sources whose graphs received a fact (described at the end).
    pub(super) stated: BTreeSet<String>,
    /// The sources of the premises of inferred facts.
    pub(super) premises: BTreeSet<String>,
}

/// IRIs made by the mapper are built from a checked base and checked slugs
/// (or from IRIs the loader validated), so they need no second parse.
pub(super) fn iri(value: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(value)
}

pub(super) fn lang<'v>(value: &'v str, language: &'v str) -> LiteralRef<'v> {
    LiteralRef::new_language_tagged_literal_unchecked(value, language)
}

/// The IRI of a confidence value.
pub fn confidence_iri(confidence: Confidence) -> NamedNodeRef<'static> {
    match confidence {
        Confidence::Confirmed => pg::CONFIRMED,
        Confidence::Uncertain => pg::UNCERTAIN_VALUE,
        Confidence::Inferred => pg::INFERRED,
    }
}

impl<'a, S: QuadSink> Mapper<'a, S> {
    pub fn new(iris: &'a Iris, sink: &'a mut S) -> Self {
        Mapper {
            iris,
            sink,
            scratch: String::new(),
            subject_buffer: String::new(),
            graphs_buffer: Vec::new(),
            statement_buffer: String::new(),
            stated: BTreeSet::new(),
            premises: BTreeSet::new(),
        }
    }

    /// The sink the quads go to.
    pub fn sink(&self) -> &S {
        self.sink
    }

    /// Starts a record: its subject, and its own sources as the current
    /// fact's (with `dcterms:source`, `pg:uncertain`, notes and labels
    /// written).
    pub(super) fn record<'m, 'c>(
        &'m mut self,
        kind: RecordKind,
        common: &'c Common,
    ) -> io::Result<Record<'m, 'a, 'c, S>> {
        let mut subject = std::mem::take(&mut self.subject_buffer);
        self.iris.write_record(&mut subject, kind, &common.id);
        let graphs = std::mem::take(&mut self.graphs_buffer);
        let mut record = Record {
            mapper: self,
            kind,
            id: &common.id,
            common: Some(common),
            subject,
            graphs,
            fact: Fact::record(common),
        };
        record.set_graphs();
        record.common(common)?;
        Ok(record)
    }

    /// A record whose triples all go into one given graph (source
    /// descriptions).
    pub(super) fn record_in<'m, 'c>(
        &'m mut self,
        kind: RecordKind,
        id: &'c str,
        graph: &str,
    ) -> Record<'m, 'a, 'c, S> {
        let subject = self.iris.record(kind, id);
        let mut graphs = std::mem::take(&mut self.graphs_buffer);
        graphs.clear();
        graphs.push(graph.to_owned());
        Record {
            mapper: self,
            kind,
            id,
            common: None,
            subject,
            graphs,
            fact: Fact::plain(),
        }
    }
}

/// The fact being written: which field, stated by which sources, how sure.
#[derive(Clone, Copy)]
struct Fact<'c> {
    field: &'static str,
    sources: &'c [String],
    confidence: Confidence,
    note: Option<&'c str>,
    /// Whether its triples get a statement node.
    reify: bool,
    /// Statement nodes written for this field so far.
    count: usize,
}

impl<'c> Fact<'c> {
    fn record(common: &'c Common) -> Self {
        Fact {
            field: "",
            sources: &common.sources,
            confidence: common.confidence,
            note: None,
            reify: false,
            count: 0,
        }
    }

    fn plain() -> Self {
        Fact {
            field: "",
            sources: &[],
            confidence: Confidence::Confirmed,
            note: None,
            reify: false,
            count: 0,
        }
    }
}

/// The triples of one record.
pub(super) struct Record<'m, 'a, 'c, S> {
    pub(super) mapper: &'m mut Mapper<'a, S>,
    kind: RecordKind,
    id: &'c str,
    common: Option<&'c Common>,
    pub(super) subject: String,
    /// The graphs of the current fact.
    graphs: Vec<String>,
    fact: Fact<'c>,
}

impl<S> Drop for Record<'_, '_, '_, S> {
    /// Gives the buffers back to the mapper for the next record.
    fn drop(&mut self) {
        self.mapper.subject_buffer = std::mem::take(&mut self.subject);
        self.mapper.graphs_buffer = std::mem::take(&mut self.graphs);
    }
}

impl<'c, S: QuadSink> Record<'_, '_, 'c, S> {
    /// Makes `field` (for `value`, when one element of a list) the current
    /// fact: its own sources, confidence and note, or the record's.
    pub(super) fn field(&mut self, field: &'static str, value: Option<&str>) {
        let Some(common) = self.common else {
            return;
        };
        let meta = common.fact(field, value);
        let sources = meta
            .and_then(|m| m.sources.as_deref())
            .unwrap_or(&common.sources);
        let confidence = meta.and_then(|m| m.confidence).unwrap_or(common.confidence);
        // An inferred record's notes are the reasoning of its facts.
        let note = meta.and_then(|m| m.note.as_deref()).or(
            match (confidence, meta.and_then(|m| m.confidence)) {
                (Confidence::Inferred, None) => common.notes.as_deref(),
                _ => None,
            },
        );
        let moved = sources != self.fact.sources
            || (confidence == Confidence::Inferred)
                != (self.fact.confidence == Confidence::Inferred);
        let count = if field == self.fact.field {
            self.fact.count
        } else {
            0
        };
        self.fact = Fact {
            field,
            sources,
            confidence,
            note,
            reify: confidence != Confidence::Confirmed || note.is_some(),
            count,
        };
        if moved {
            self.set_graphs();
        }
    }

    /// Back to the record's own sources, without statement nodes (types,
    /// `dcterms:source`, `pg:uncertain`).
    pub(super) fn own(&mut self) {
        if let Some(common) = self.common {
            let moved = self.fact.sources != common.sources.as_slice()
                || (self.fact.confidence == Confidence::Inferred)
                    != (common.confidence == Confidence::Inferred);
            self.fact = Fact::record(common);
            if moved {
                self.set_graphs();
            }
        }
    }

    /// The graphs of the current fact: one per source, or the inferred
    /// graph.
    fn set_graphs(&mut self) {
        let iris = self.mapper.iris;
        if self.fact.confidence == Confidence::Inferred {
            self.graphs.truncate(1);
            if self.graphs.is_empty() {
                self.graphs.push(String::new());
            }
            iris.write_graph(&mut self.graphs[0], INFERRED_GRAPH);
            for source in self.fact.sources {
                if !self.mapper.premises.contains(source) {
                    self.mapper.premises.insert(source.clone());
                }
            }
            return;
        }
        let sources = self.fact.sources;
        let wanted = sources.len().max(1);
        self.graphs.truncate(wanted);
        while self.graphs.len() < wanted {
            self.graphs.push(String::new());
        }
        if sources.is_empty() {
            iris.write_graph(&mut self.graphs[0], "unsourced");
        }
        for (graph, source) in self.graphs.iter_mut().zip(sources) {
            iris.write_graph(graph, source);
            if !self.mapper.stated.contains(source) {
                self.mapper.stated.insert(source.clone());
            }
        }
    }

    /// `subject predicate object` in every graph of the current fact.
    pub(super) fn quad(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> io::Result<()> {
        for graph in &self.graphs {
            self.mapper.sink.add(QuadRef::new(
                NamedOrBlankNodeRef::NamedNode(iri(subject)),
                predicate,
                object,
                GraphNameRef::NamedNode(iri(graph)),
            ))?;
        }
        Ok(())
    }

    /// A stated triple: the triple, and its statement node when the fact
    /// needs one.
    fn stated(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> io::Result<()> {
        self.quad(subject, predicate, object)?;
        if self.fact.reify {
            self.statement(subject, predicate, object)?;
        }
        Ok(())
    }

    /// The statement node `{base}statement/{kind}/{id}/{field}[/{n}]`.
    fn statement(
        &mut self,
        subject: &str,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> io::Result<()> {
        self.fact.count += 1;
        let mut node = std::mem::take(&mut self.mapper.statement_buffer);
        node.clear();
        node.push_str(self.mapper.iris.base());
        node.push_str("statement/");
        node.push_str(self.kind.path());
        node.push('/');
        node.push_str(self.id);
        node.push('/');
        node.push_str(self.fact.field);
        if self.fact.count > 1 {
            node.push('/');
            node.push_str(&self.fact.count.to_string());
        }
        let fact = self.fact;
        let result = (|| {
            self.quad(&node, rdf::TYPE, rdf::STATEMENT.into())?;
            self.quad(&node, rdf::SUBJECT, iri(subject).into())?;
            self.quad(&node, rdf::PREDICATE, predicate.into())?;
            self.quad(&node, rdf::OBJECT, object)?;
            self.quad(
                &node,
                pg::CONFIDENCE,
                confidence_iri(fact.confidence).into(),
            )?;
            if let Some(note) = fact.note {
                self.quad(&node, rdfs::COMMENT, lang(note, "fr").into())?;
            }
            let mut source = std::mem::take(&mut self.mapper.scratch);
            for id in fact.sources {
                self.mapper
                    .iris
                    .write_record(&mut source, RecordKind::Source, id);
                self.quad(&node, prov::WAS_DERIVED_FROM, iri(&source).into())?;
            }
            self.mapper.scratch = source;
            Ok(())
        })();
        self.mapper.statement_buffer = node;
        result
    }

    pub(super) fn object(
        &mut self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> io::Result<()> {
        let subject = std::mem::take(&mut self.subject);
        let result = self.stated(&subject, predicate, object);
        self.subject = subject;
        result
    }

    /// `rdf:type class`, never reified (the class follows from the
    /// record's kind).
    pub(super) fn class(&mut self, class: NamedNodeRef<'_>) -> io::Result<()> {
        let subject = std::mem::take(&mut self.subject);
        let result = self.quad(&subject, rdf::TYPE, class.into());
        self.subject = subject;
        result
    }

    pub(super) fn plain(&mut self, predicate: NamedNodeRef<'_>, value: &str) -> io::Result<()> {
        self.object(predicate, LiteralRef::new_simple_literal(value).into())
    }

    /// `rdfs:label` (and `skos:prefLabel` when `pref`) in French (field
    /// `fr_field`) and English (`{fr_field}_en`, from `en_field`).
    pub(super) fn names(
        &mut self,
        (fr_field, fr): (&'static str, &str),
        (en_field, en): (&'static str, Option<&str>),
        pref: bool,
    ) -> io::Result<()> {
        let values = std::iter::once((fr_field, fr, "fr")).chain(en.map(|en| (en_field, en, "en")));
        for (field, value, language) in values {
            self.field(field, None);
            self.object(rdfs::LABEL, lang(value, language).into())?;
            if pref {
                self.object(skos::PREF_LABEL, lang(value, language).into())?;
            }
        }
        Ok(())
    }

    /// `subject predicate target`.
    pub(super) fn link(
        &mut self,
        predicate: NamedNodeRef<'_>,
        kind: RecordKind,
        id: &str,
    ) -> io::Result<()> {
        let mut target = std::mem::take(&mut self.mapper.scratch);
        self.mapper.iris.write_record(&mut target, kind, id);
        let result = self.object(predicate, iri(&target).into());
        self.mapper.scratch = target;
        result
    }

    /// One link per id of the list field `field`, each a fact of its own
    /// (so each may have its own sources, confidence and note).
    pub(super) fn links(
        &mut self,
        field: &'static str,
        predicate: NamedNodeRef<'_>,
        kind: RecordKind,
        ids: &[String],
    ) -> io::Result<()> {
        for id in ids {
            self.field(field, Some(id));
            self.link(predicate, kind, id)?;
        }
        Ok(())
    }

    /// `subject predicate target` and `target inverse subject`.
    pub(super) fn link_inverse(
        &mut self,
        predicate: NamedNodeRef<'_>,
        kind: RecordKind,
        id: &str,
        inverse: NamedNodeRef<'_>,
    ) -> io::Result<()> {
        let mut target = std::mem::take(&mut self.mapper.scratch);
        self.mapper.iris.write_record(&mut target, kind, id);
        let subject = std::mem::take(&mut self.subject);
        let result = self
            .stated(&subject, predicate, iri(&target).into())
            .and_then(|()| self.quad(&target, inverse, iri(&subject).into()));
        self.subject = subject;
        self.mapper.scratch = target;
        result
    }

    /// What every record carries: sources, confidence, notes, other labels.
    fn common(&mut self, common: &Common) -> io::Result<()> {
        // Still in the record's own context (no statement nodes).
        for source in &common.sources {
            self.link(dcterms::SOURCE, RecordKind::Source, source)?;
        }
        if common.confidence == Confidence::Uncertain {
            self.object(
                pg::UNCERTAIN,
                LiteralRef::new_typed_literal("true", xsd::BOOLEAN).into(),
            )?;
        }
        if let Some(notes) = &common.notes {
            self.field("notes", None);
            self.object(rdfs::COMMENT, lang(notes, "fr").into())?;
        }
        for label in &common.alt_labels {
            self.field("alt_labels", Some(label));
            self.object(skos::ALT_LABEL, lang(label, "fr").into())?;
        }
        for label in &common.hidden_labels {
            self.field("hidden_labels", Some(label));
            self.object(skos::HIDDEN_LABEL, lang(label, "fr").into())?;
        }
        self.own();
        Ok(())
    }
}
