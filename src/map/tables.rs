//! Mapping a folder of CSV tables as it is read: rows come checked from
//! the one-pass reader ([`crate::load::stream`]) and go out as quads.

use super::{Mapper, QuadSink};
use crate::error::StreamError;
use crate::iri::{Iris, PROVENANCE_GRAPH};
use crate::load::{stream_rows, total_bytes, StreamProgress, StreamReport};
use crate::load::{CsvRecord, CsvTable};
use std::io;
use std::path::PathBuf;

/// Maps the rows of `tables` into `sink`, checking each row as it goes
/// ([`stream_rows`]). On a fault, mapping stops and every fault found is
/// returned; what `sink` received by then is to be thrown away.
///
/// Two threads share the work: one reads, parses and checks the rows and
/// hands them over in batches; the calling thread maps them into `sink`.
pub fn map_tables(
    tables: &[(CsvTable, PathBuf)],
    iris: &Iris,
    sink: &mut impl QuadSink,
    progress: &mut dyn FnMut(&StreamProgress),
) -> Result<StreamReport, StreamError> {
    let mut state = StreamProgress {
        bytes_done: 0,
        bytes_total: total_bytes(tables),
        rows: 0,
        quads: 0,
    };
    let mut sink = Counted {
        inner: sink,
        quads: 0,
    };
    let mut mapper = Mapper::new(iris, &mut sink);
    let read = stream_rows(tables, |records, so_far| -> Result<(), StreamError> {
        state.rows = so_far.rows;
        state.bytes_done = so_far.bytes_done;
        state.quads = mapper.sink().quads;
        progress(&state);
        records
            .iter()
            .try_for_each(|record| map_record(&mut mapper, record))?;
        Ok(())
    })?;
    let provenance = iris.graph(PROVENANCE_GRAPH);
    for source in &read.sources {
        mapper.source(source, &provenance)?;
    }
    mapper.describe_graphs(&read.sources, &provenance)?;
    drop(mapper);
    state.rows = read.rows;
    state.quads = sink.quads;
    state.bytes_done = state.bytes_total;
    progress(&state);
    Ok(StreamReport {
        rows: read.rows,
        quads: sink.quads,
        sources: read.sources,
    })
}

/// Counts the quads that pass through to another sink.
struct Counted<'s, S> {
    inner: &'s mut S,
    quads: u64,
}

impl<S: QuadSink> QuadSink for Counted<'_, S> {
    fn add(&mut self, quad: oxigraph::model::QuadRef<'_>) -> io::Result<()> {
        self.quads += 1;
        self.inner.add(quad)
    }
}

fn map_record<S: QuadSink>(mapper: &mut Mapper<'_, S>, record: &CsvRecord) -> io::Result<()> {
    match record {
        CsvRecord::Organization(r) => mapper.organization(r),
        CsvRecord::Person(r) => mapper.person(r),
        CsvRecord::Event(r) => mapper.event(r),
        CsvRecord::Talk(r) => mapper.talk(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DataErrors, LoadError};
    use crate::model::Dataset;

    /// The faults of a folder holding only `organizations.csv`.
    fn organization_faults(rows: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("organizations.csv");
        std::fs::write(&path, format!("id,name,acronym,kind,parent_id\n{rows}")).unwrap();
        let tables = [(CsvTable::Organizations, path)];
        let iris = Iris::new(crate::iri::resolve_base(None, &Dataset::default()).unwrap());
        let mut quads: Vec<oxigraph::model::Quad> = Vec::new();
        match map_tables(&tables, &iris, &mut quads, &mut |_| {}) {
            Ok(_) => Vec::new(),
            Err(StreamError::Load(LoadError::Data(DataErrors(errors)))) => errors
                .iter()
                .map(|e| format!("line {}: {}", e.line.unwrap_or(0), e.message))
                .collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_cycle_is_found_through_rows_that_point_back() {
        // 2 → 1 and 3 → 2 point to earlier rows; 1 → 3 closes the ring.
        let faults =
            organization_faults("1,A,,ministry,3\n2,B,,directorate,1\n3,C,,directorate,2\n");
        assert_eq!(faults.len(), 1, "{faults:?}");
        assert!(
            faults[0].contains("has a cycle: 1 → 3 → 2 → 1"),
            "{faults:?}"
        );
        let faults = organization_faults("m,M,,ministry,\nx,X,,directorate,x\n");
        assert!(faults[0].contains("has a cycle: x → x"), "{faults:?}");
        // Of two rings, the one met first in the file is told.
        let rows = "m,M,,ministry,\nzz,Z,,directorate,zy\nzy,Y,,directorate,zz\na,A,,directorate,b\nb,B,,directorate,a\n";
        let faults = organization_faults(rows);
        assert!(
            faults[0].contains("has a cycle: zz → zy → zz"),
            "{faults:?}"
        );
        assert!(faults[0].starts_with("line 3:"), "{faults:?}");
    }

    #[test]
    fn a_hierarchy_pointing_back_only_has_no_cycle() {
        let rows = "1,A,,ministry,\n2,B,,directorate,1\n3,C,,directorate,2\n4,D,,directorate,1\n";
        assert_eq!(organization_faults(rows), Vec::<String>::new());
        let rows = "3,C,,directorate,2\n2,B,,directorate,1\n1,A,,ministry,\n";
        assert_eq!(organization_faults(rows), Vec::<String>::new());
    }
}
