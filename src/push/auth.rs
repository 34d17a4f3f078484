//! HTTP authentication for the push: Basic, and Digest (RFC 7616, MD5 and
//! MD5-sess, `qop=auth` or none) after the server's challenge. The
//! password goes into `Authorization` headers and nowhere else.

use super::error::PushError;
use md5::{Digest, Md5};
use std::fmt;
use std::time::Instant;

/// User name and password for the store.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

/// Which HTTP authentication to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// The one the server's `WWW-Authenticate` challenge asks for (digest
    /// preferred); nothing is sent before a challenge.
    #[default]
    Auto,
    /// Basic, sent with every request.
    Basic,
    /// Digest, after the server's challenge.
    Digest,
}

/// The authentication of one client: what to send with the next request,
/// and what a 401 asks for.
pub(super) struct Auth {
    credentials: Option<Credentials>,
    scheme: AuthScheme,
    /// The digest challenge in use, and the nonce count sent with it.
    digest: Option<(Challenge, u32)>,
    /// Whether to send Basic credentials.
    basic: bool,
    counter: u64,
}

impl Auth {
    pub(super) fn new(scheme: AuthScheme, credentials: Option<Credentials>) -> Self {
        Auth {
            basic: scheme == AuthScheme::Basic && credentials.is_some(),
            credentials,
            scheme,
            digest: None,
            counter: 0,
        }
    }

    pub(super) fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    pub(super) fn scheme(&self) -> AuthScheme {
        self.scheme
    }

    /// The `Authorization` header for the next request, if any.
    pub(super) fn authorization(&mut self, method: &str, url: &url::Url) -> Option<String> {
        let credentials = self.credentials.as_ref()?;
        if let Some((challenge, count)) = &mut self.digest {
            *count += 1;
            self.counter += 1;
            let target = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            };
            let cnonce = cnonce(self.counter);
            return Some(digest_authorization(
                credentials,
                challenge,
                method,
                &target,
                *count,
                &cnonce,
            ));
        }
        self.basic.then(|| {
            format!(
                "Basic {}",
                base64(format!("{}:{}", credentials.user, credentials.password).as_bytes())
            )
        })
    }

    /// Takes a 401's challenge (its `WWW-Authenticate` values) for the next
    /// request, or fails when the credentials were already refused.
    pub(super) fn answer_challenge(
        &mut self,
        request: &str,
        headers: &[String],
        challenges: u32,
    ) -> Result<(), PushError> {
        let Some(credentials) = &self.credentials else {
            return Err(PushError::NoCredentials {
                request: request.to_owned(),
            });
        };
        let digest = headers.iter().find_map(|h| Challenge::parse(h));
        let offers_basic = headers
            .iter()
            .any(|h| h.trim_start().to_ascii_lowercase().starts_with("basic"));
        let refused = |scheme| PushError::Unauthorized {
            request: request.to_owned(),
            user: credentials.user.clone(),
            scheme,
        };
        if self.scheme == AuthScheme::Basic {
            // Basic credentials went with the request: they were refused.
            return Err(refused("Basic"));
        }
        match digest {
            Some(challenge) => {
                if !challenge.algorithm_supported() {
                    return Err(PushError::UnsupportedAuth {
                        request: request.to_owned(),
                        challenge: format!("Digest algorithm={}", challenge.algorithm),
                    });
                }
                // A second challenge is a refusal, unless the nonce was stale.
                if challenges > 2 || (self.digest.is_some() && !challenge.stale) {
                    return Err(refused("Digest"));
                }
                self.digest = Some((challenge, 0));
                Ok(())
            }
            None if offers_basic && self.scheme == AuthScheme::Auto => {
                if self.basic || challenges > 1 {
                    return Err(refused("Basic"));
                }
                self.basic = true;
                Ok(())
            }
            None if self.digest.is_some() || self.basic => {
                Err(refused(if self.basic { "Basic" } else { "Digest" }))
            }
            None => Err(PushError::UnsupportedAuth {
                request: request.to_owned(),
                challenge: if headers.is_empty() {
                    "no WWW-Authenticate header".into()
                } else {
                    headers.join(" / ")
                },
            }),
        }
    }
}

/// A `WWW-Authenticate: Digest …` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    /// `auth` when the server offers it, else none (RFC 2069).
    qop: Option<String>,
    algorithm: String,
    stale: bool,
}

impl Challenge {
    /// Parses the Digest challenge of a header, if it has one.
    fn parse(header: &str) -> Option<Challenge> {
        let lower = header.to_ascii_lowercase();
        let start = lower.find("digest ")?;
        let params = auth_params(&header[start + "digest ".len()..]);
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let qop = get("qop").and_then(|q| {
            q.split(',')
                .map(str::trim)
                .find(|o| o.eq_ignore_ascii_case("auth"))
                .map(str::to_owned)
        });
        Some(Challenge {
            realm: get("realm").unwrap_or_default(),
            nonce: get("nonce")?,
            opaque: get("opaque"),
            qop,
            algorithm: get("algorithm").unwrap_or_else(|| "MD5".into()),
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    fn algorithm_supported(&self) -> bool {
        self.algorithm.eq_ignore_ascii_case("MD5")
            || self.algorithm.eq_ignore_ascii_case("MD5-sess")
    }
}

/// `name=value` and `name="quoted value"` pairs, comma-separated.
fn auth_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if name.trim().is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        params.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    params
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A client nonce: unpredictable enough for `qop=auth` (it is not a secret).
fn cnonce(counter: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{now}:{}:{counter}:{:?}",
        std::process::id(),
        Instant::now()
    );
    md5_hex(&seed)[..16].to_owned()
}

/// The `Authorization: Digest …` value (RFC 7616 §3.4).
fn digest_authorization(
    credentials: &Credentials,
    challenge: &Challenge,
    method: &str,
    uri: &str,
    nonce_count: u32,
    cnonce: &str,
) -> String {
    let mut ha1 = md5_hex(&format!(
        "{}:{}:{}",
        credentials.user, challenge.realm, credentials.password
    ));
    if challenge.algorithm.eq_ignore_ascii_case("MD5-sess") {
        ha1 = md5_hex(&format!("{ha1}:{}:{cnonce}", challenge.nonce));
    }
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    let nc = format!("{nonce_count:08x}");
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut value = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}",
        quote(&credentials.user),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        challenge.algorithm
    );
    match &challenge.qop {
        Some(qop) => {
            let response = md5_hex(&format!(
                "{ha1}:{}:{nc}:{cnonce}:{qop}:{ha2}",
                challenge.nonce
            ));
            value.push_str(&format!(
                ", qop={qop}, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\""
            ));
        }
        None => {
            let response = md5_hex(&format!("{ha1}:{}:{ha2}", challenge.nonce));
            value.push_str(&format!(", response=\"{response}\""));
        }
    }
    if let Some(opaque) = &challenge.opaque {
        value.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    value
}

/// Standard base64 with padding (RFC 4648 §4), for Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    /// The example of RFC 2617 §3.5 (MD5, qop=auth).
    #[test]
    fn digest_matches_the_rfc_example() {
        let challenge = Challenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .expect("a digest challenge");
        assert_eq!(challenge.qop.as_deref(), Some("auth"));
        let credentials = Credentials {
            user: "Mufasa".into(),
            password: "Circle Of Life".into(),
        };
        let value = digest_authorization(
            &credentials,
            &challenge,
            "GET",
            "/dir/index.html",
            1,
            "0a4f113b",
        );
        assert!(
            value.contains("response=\"6629fae49393a05397450978507c4ef1\""),
            "{value}"
        );
        assert!(value.contains("nc=00000001"));
        assert!(value.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
    }

    #[test]
    fn challenges_parse_with_other_schemes_and_stale() {
        let c = Challenge::parse(
            r#"Basic realm="x", Digest realm="SPARQL", domain="/a", nonce="n1", stale="TRUE", qop="auth", algorithm="MD5""#,
        )
        .expect("digest found");
        assert_eq!(c.realm, "SPARQL");
        assert_eq!(c.nonce, "n1");
        assert!(c.stale);
        assert!(Challenge::parse(r#"Basic realm="x""#).is_none());
    }

    fn dba() -> Option<Credentials> {
        Some(Credentials {
            user: "dba".into(),
            password: "secret".into(),
        })
    }

    #[test]
    fn digest_follows_the_challenge_and_a_second_one_refuses() {
        let url = url::Url::parse("http://host/store?graph=http%3A%2F%2Fx%2Fg").expect("a URL");
        let mut auth = Auth::new(AuthScheme::Auto, dba());
        assert_eq!(
            auth.authorization("PUT", &url),
            None,
            "nothing before a challenge"
        );
        let challenge = vec![r#"Digest realm="r", nonce="n1", qop="auth""#.to_owned()];
        auth.answer_challenge("PUT graph", &challenge, 1)
            .expect("the first challenge is taken");
        let first = auth.authorization("PUT", &url).expect("digest");
        assert!(first.starts_with("Digest username=\"dba\""), "{first}");
        assert!(
            first.contains("uri=\"/store?graph=http%3A%2F%2Fx%2Fg\""),
            "{first}"
        );
        assert!(first.contains("nc=00000001") && !first.contains("secret"));
        let second = auth.authorization("PUT", &url).expect("digest");
        assert!(second.contains("nc=00000002"), "{second}");
        let refused = auth.answer_challenge("PUT graph", &challenge, 2);
        assert!(
            matches!(
                refused,
                Err(PushError::Unauthorized {
                    scheme: "Digest",
                    ..
                })
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn basic_goes_with_every_request_and_a_challenge_refuses() {
        let url = url::Url::parse("http://host/store").expect("a URL");
        let mut auth = Auth::new(AuthScheme::Basic, dba());
        assert_eq!(
            auth.authorization("PUT", &url).as_deref(),
            Some("Basic ZGJhOnNlY3JldA==")
        );
        let refused = auth.answer_challenge("PUT graph", &[r#"Basic realm="r""#.into()], 1);
        assert!(
            matches!(
                refused,
                Err(PushError::Unauthorized {
                    scheme: "Basic",
                    ..
                })
            ),
            "{refused:?}"
        );
        let mut none = Auth::new(AuthScheme::Auto, None);
        assert!(matches!(
            none.answer_challenge("PUT graph", &[], 1),
            Err(PushError::NoCredentials { .. })
        ));
    }
}
