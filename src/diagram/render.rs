//! The output formats of `polegraph dot`, and Graphviz run on the DOT text
//! for the image formats.

use super::error::DiagramError;
use std::io::Write;
use std::path::Path;

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
    program: &std::ffi::OsStr,
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
            (Some(aside), std::process::Stdio::from(out))
        }
        Place::InPlace(path) => (None, std::process::Stdio::from(open_in_place(path)?)),
        Place::Stdout => (None, std::process::Stdio::inherit()),
    };
    let mut child = std::process::Command::new(program)
        .arg(format!("-T{name}"))
        .stdin(std::process::Stdio::piped())
        .stdout(image_out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DiagramError::GraphvizMissing,
            _ => DiagramError::GraphvizSpawn(e),
        })?;
    let mut stdin = child.stdin.take();
    let output = std::thread::scope(|scope| {
        let feeder = scope.spawn(move || -> std::io::Result<()> {
            if let Some(stdin) = stdin.as_mut() {
                stdin.write_all(dot_text)?;
            }
            Ok(())
        });
        let output = child.wait_with_output();
        let fed = feeder.join().unwrap_or(Ok(()));
        output.and_then(|o| fed.map(|()| o))
    })
    .map_err(DiagramError::GraphvizSpawn)?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(DiagramError::Graphviz {
            status: output.status.to_string(),
            stderr: stderr.trim().to_owned(),
        });
    }
    if let Some(aside) = aside {
        aside.commit().map_err(write_error)?;
    }
    Ok(stderr)
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
