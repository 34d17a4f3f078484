//! The output formats of `polegraph dot`, and Graphviz run on the DOT text
//! for the image formats: into a file, or into memory within a time limit
//! (for the endpoint).

use super::error::DiagramError;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The output formats of `polegraph dot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Dot,
    Svg,
    Png,
    Pdf,
}

impl OutputFormat {
    /// The extensions understood, for messages.
    pub const EXTENSIONS: &'static str = ".dot, .gv, .svg, .png or .pdf";

    /// The format a file name's extension gives.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "dot" | "gv" => Some(OutputFormat::Dot),
            "svg" => Some(OutputFormat::Svg),
            "png" => Some(OutputFormat::Png),
            "pdf" => Some(OutputFormat::Pdf),
            _ => None,
        }
    }

    /// The `-T` value of Graphviz `dot` (none for DOT itself).
    pub fn graphviz_name(self) -> Option<&'static str> {
        match self {
            OutputFormat::Dot => None,
            OutputFormat::Svg => Some("svg"),
            OutputFormat::Png => Some("png"),
            OutputFormat::Pdf => Some("pdf"),
        }
    }
}

/// Runs Graphviz (`program`, usually `dot`) on DOT text and writes the
/// image to `target` by the rule for every output (written aside, see
/// [`crate::io::atomic`]; a device or pipe is written as it is, see
/// [`crate::io::target`]). Returns what Graphviz printed on stderr (its
/// warnings).
pub fn render(
    program: &OsStr,
    dot_text: &[u8],
    format: OutputFormat,
    target: &Path,
) -> Result<String, DiagramError> {
    use crate::io::atomic::AsideFile;
    use crate::io::target::{open_existing, place_of, Place};
    let place = place_of(target)?;
    let write_error = |source| DiagramError::Write {
        path: target.to_owned(),
        source,
    };
    let open_in_place = |path: &Path| open_existing(path).map_err(write_error);
    let Some(name) = format.graphviz_name() else {
        match &place {
            Place::File(path) => {
                crate::io::atomic::write_file(path, dot_text).map_err(write_error)?
            }
            Place::InPlace(path) => open_in_place(path)?
                .write_all(dot_text)
                .map_err(write_error)?,
            Place::Stdout => std::io::stdout().write_all(dot_text).map_err(write_error)?,
        }
        return Ok(String::new());
    };
    let (aside, image_out) = match &place {
        Place::File(path) => {
            let aside = AsideFile::beside(path).map_err(write_error)?;
            let out = aside.file().try_clone().map_err(write_error)?;
            (Some(aside), Stdio::from(out))
        }
        Place::InPlace(path) => (None, Stdio::from(open_in_place(path)?)),
        Place::Stdout => (None, Stdio::inherit()),
    };
    let (_, warnings) = run_graphviz(program, name, dot_text, image_out, None)?;
    if let Some(aside) = aside {
        aside.commit().map_err(write_error)?;
    }
    Ok(warnings)
}

/// Runs Graphviz on DOT text and returns the image, stopping it past
/// `timeout` ([`DiagramError::GraphvizTimeout`]) or once it has written
/// more than `max_bytes` ([`DiagramError::GraphvizTooLarge`]). Only
/// `-T{format}` is given on its command line: the DOT text goes through its
/// input. On Linux, Graphviz runs in a process group of its own, so that
/// stopping it stops whatever it started too.
pub fn render_to_memory(
    program: &OsStr,
    dot_text: &[u8],
    format: OutputFormat,
    timeout: Duration,
    max_bytes: usize,
) -> Result<Vec<u8>, DiagramError> {
    match format.graphviz_name() {
        None => Ok(dot_text.to_vec()),
        Some(name) => {
            let bounds = Bounds { timeout, max_bytes };
            let (image, _) = run_graphviz(program, name, dot_text, Stdio::piped(), Some(bounds))?;
            Ok(image)
        }
    }
}

/// When a Graphviz run is stopped.
#[derive(Clone, Copy)]
struct Bounds {
    timeout: Duration,
    /// The most bytes of image read.
    max_bytes: usize,
}

/// Runs `program -T{name}` with `dot_text` on its input and `image_out` as
/// its output; returns what it wrote there when piped, and its stderr.
/// Within `bounds`, Graphviz (and its process group) is killed past them.
fn run_graphviz(
    program: &OsStr,
    name: &str,
    dot_text: &[u8],
    image_out: Stdio,
    bounds: Option<Bounds>,
) -> Result<(Vec<u8>, String), DiagramError> {
    let started = Instant::now();
    let mut command = Command::new(program);
    command
        .arg(format!("-T{name}"))
        .stdin(Stdio::piped())
        .stdout(image_out)
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    if bounds.is_some() {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiagramError::GraphvizMissing,
        _ => DiagramError::GraphvizSpawn(e),
    })?;
    let mut stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let max_bytes = bounds.map_or(u64::MAX, |b| b.max_bytes as u64);
    let too_large = AtomicBool::new(false);
    // Feeding and reading run beside the wait, so that a full pipe never
    // blocks Graphviz; a killed Graphviz closes its pipes and ends them.
    let (status, image, warnings, fed) = std::thread::scope(|scope| {
        let feeder = scope.spawn(move || -> std::io::Result<()> {
            if let Some(stdin) = stdin.as_mut() {
                stdin.write_all(dot_text)?;
            }
            Ok(())
        });
        let too_large = &too_large;
        let image = scope.spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = stdout {
                let _ = pipe
                    .take(max_bytes.saturating_add(1))
                    .read_to_end(&mut bytes);
                if bytes.len() as u64 > max_bytes {
                    too_large.store(true, Ordering::Relaxed);
                }
            }
            bytes
        });
        let warnings = scope.spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = stderr {
                let _ = pipe.take(1 << 20).read_to_end(&mut bytes);
            }
            bytes
        });
        let status = match bounds {
            None => child.wait().map_err(DiagramError::GraphvizSpawn),
            Some(bounds) => wait_within(&mut child, started, bounds, too_large),
        };
        let fed = feeder.join().unwrap_or(Ok(()));
        let image = image.join().unwrap_or_default();
        let warnings = warnings.join().unwrap_or_default();
        (status, image, warnings, fed)
    });
    let status = status?;
    let warnings = String::from_utf8_lossy(&warnings).trim().to_owned();
    if !status.success() {
        return Err(DiagramError::Graphviz {
            status: status.to_string(),
            stderr: warnings,
        });
    }
    fed.map_err(DiagramError::GraphvizSpawn)?;
    Ok((image, warnings))
}

/// Waits for Graphviz to end, killing it (and its process group) once
/// `bounds.timeout` has passed since `started` or its image has passed
/// `bounds.max_bytes`.
fn wait_within(
    child: &mut Child,
    started: Instant,
    bounds: Bounds,
    too_large: &AtomicBool,
) -> Result<ExitStatus, DiagramError> {
    loop {
        if let Some(status) = child.try_wait().map_err(DiagramError::GraphvizSpawn)? {
            return Ok(status);
        }
        let stop = if too_large.load(Ordering::Relaxed) {
            Some(DiagramError::GraphvizTooLarge(bounds.max_bytes))
        } else if started.elapsed() >= bounds.timeout {
            Some(DiagramError::GraphvizTimeout(bounds.timeout))
        } else {
            None
        };
        if let Some(error) = stop {
            kill_group(child);
            let _ = child.wait();
            return Err(error);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Kills Graphviz and whatever it started (its process group, on Linux).
fn kill_group(child: &mut Child) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{kill_process_group, Pid, Signal};
        let _ = kill_process_group(Pid::from_child(child), Signal::KILL);
    }
    let _ = child.kill();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_format_follows_the_extension() {
        assert_eq!(
            OutputFormat::from_path(Path::new("a/gti.dot")),
            Some(OutputFormat::Dot)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("gti.SVG")),
            Some(OutputFormat::Svg)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("gti.pdf")),
            Some(OutputFormat::Pdf)
        );
        assert_eq!(OutputFormat::from_path(Path::new("gti.txt")), None);
        assert_eq!(OutputFormat::from_path(Path::new("gti")), None);
    }
}
