//! Keyed pseudonyms: the same e-mail, name, IP or object ID becomes the same
//! stand-in everywhere in a capture, and nobody without the key can go back
//! or test a guess.
//!
//! The PRF is SipHash-2-4 (Aumasson and Bernstein), written out here because
//! it is small and the crate takes no hashing dependencies. The caller
//! brings the 16-byte key: the CLI from `/dev/urandom` (or `--key HEX` for
//! output that can be reproduced), the page from `crypto.getRandomValues`.
//! Pseudonyms keep the shape of what they replace, so viewers and the
//! analyzer still read them: `user-3f9a1c07@example.invalid`, a GUID for a
//! GUID, documentation-range addresses (RFC 5737 and RFC 3849) for IPs.

/// SipHash-2-4 of `msg` under `key`.
pub fn siphash24(key: &[u8; 16], msg: &[u8]) -> u64 {
    let k0 = u64::from_le_bytes(key[..8].try_into().unwrap_or_default());
    let k1 = u64::from_le_bytes(key[8..].try_into().unwrap_or_default());
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let compress = |m: u64, v: &mut [u64; 4]| {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    };
    let mut blocks = msg.chunks_exact(8);
    for b in &mut blocks {
        compress(u64::from_le_bytes(b.try_into().unwrap_or_default()), &mut v);
    }
    // The last block: the remaining bytes, and the length's low byte on top.
    let mut last = (msg.len() as u64) << 56;
    for (i, b) in blocks.remainder().iter().enumerate() {
        last |= u64::from(*b) << (8 * i);
    }
    compress(last, &mut v);
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// What kind of personal value a pseudonym stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    Email,
    Name,
    Guid,
    Ip,
    /// An identifier of no known shape (`sub`, `puid`).
    Opaque,
}

/// Makes pseudonyms under one key, and remembers the GUIDs it replaced so
/// that the same ID met later in free text is replaced too.
pub struct Pseudonymizer {
    key: [u8; 16],
    known_guids: crate::order::SortedMap<String, ()>,
}

/// Known GUIDs are kept for free-text replacement up to this many.
const MAX_KNOWN: usize = 10_000;

impl Pseudonymizer {
    pub fn new(key: [u8; 16]) -> Pseudonymizer {
        Pseudonymizer {
            key,
            known_guids: Default::default(),
        }
    }

    /// The keyed hash of a value, case folded so `A@X` and `a@x` agree.
    fn hash(&self, domain: u8, value: &str) -> u64 {
        let mut msg = Vec::with_capacity(value.len() + 1);
        msg.push(domain);
        msg.extend(value.trim().bytes().map(|b| b.to_ascii_lowercase()));
        siphash24(&self.key, &msg)
    }

    /// The stand-in for `value`, taken as `kind` (the shape decides when
    /// the value says otherwise: an e-mail stays an e-mail).
    pub fn replace(&mut self, kind: Personal, value: &str) -> String {
        let kind = if value.contains('@') && kind != Personal::Ip {
            Personal::Email
        } else if is_guid(value) {
            Personal::Guid
        } else {
            kind
        };
        match kind {
            Personal::Email => format!("user-{:08x}@example.invalid", self.hash(b'e', value) >> 32),
            Personal::Name => format!("Person {:08x}", self.hash(b'n', value) >> 32),
            Personal::Guid => {
                if self.known_guids.len() < MAX_KNOWN {
                    self.known_guids.insert(value.to_ascii_lowercase(), ());
                }
                let (a, b) = (self.hash(b'g', value), self.hash(b'G', value));
                format!(
                    "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                    a >> 32,
                    (a >> 16) & 0xffff,
                    a & 0xfff,
                    b >> 52,
                    b & 0xffff_ffff_ffff
                )
            }
            Personal::Ip if value.contains(':') => {
                let h = self.hash(b'6', value);
                format!("2001:db8::{:x}:{:x}", (h >> 16) & 0xffff, h & 0xffff)
            }
            Personal::Ip => {
                // The three IPv4 documentation networks: 762 stand-ins.
                let h = self.hash(b'4', value);
                let net = ["192.0.2", "198.51.100", "203.0.113"][(h % 3) as usize];
                format!("{net}.{}", 1 + (h >> 8) % 254)
            }
            Personal::Opaque => {
                format!("pseudo-{:016x}", self.hash(b'o', value))
            }
        }
    }

    /// Whether a GUID was replaced before (as an object or tenant ID).
    pub fn is_known_guid(&self, guid: &str) -> bool {
        self.known_guids.get(&guid.to_ascii_lowercase()).is_some()
    }
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    #[test]
    fn siphash_matches_the_published_vectors() {
        // From the SipHash paper (key 00..0f, message 00..0e) and the
        // reference implementation's table (messages 00..n-1).
        let msg: Vec<u8> = (0..64).collect();
        assert_eq!(siphash24(&KEY, &msg[..15]), 0xa129_ca61_49be_45e5);
        assert_eq!(siphash24(&KEY, &msg[..0]), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(&KEY, &msg[..1]), 0x74f8_39c5_93dc_67fd);
        assert_eq!(siphash24(&KEY, &msg[..63]), 0x958a_324c_eb06_4572);
        // And std's (deprecated, unkeyed-by-default) SipHasher is 2-4 too.
        #[allow(deprecated)]
        for n in 0..64 {
            use std::hash::Hasher;
            let mut h = std::hash::SipHasher::new_with_keys(
                u64::from_le_bytes(KEY[..8].try_into().unwrap()),
                u64::from_le_bytes(KEY[8..].try_into().unwrap()),
            );
            h.write(&msg[..n]);
            assert_eq!(siphash24(&KEY, &msg[..n]), h.finish(), "length {n}");
        }
    }

    #[test]
    fn pseudonyms_keep_their_shape_and_follow_the_key() {
        let mut p = Pseudonymizer::new(KEY);
        let e = p.replace(Personal::Name, "Adele.Vance@Contoso.com");
        assert!(
            e.starts_with("user-") && e.ends_with("@example.invalid"),
            "{e}"
        );
        assert_eq!(e, p.replace(Personal::Email, "adele.vance@contoso.com"));
        let g = p.replace(Personal::Guid, "72f988bf-86f1-41af-91ab-2d7cd011db47");
        assert!(is_guid(&g), "{g}");
        assert!(p.is_known_guid("72F988BF-86F1-41AF-91AB-2D7CD011DB47"));
        let ip = p.replace(Personal::Ip, "20.190.151.7");
        assert!(
            ip.starts_with("192.0.2.")
                || ip.starts_with("198.51.100.")
                || ip.starts_with("203.0.113.")
        );
        assert!(p
            .replace(Personal::Ip, "2603:1006::1")
            .starts_with("2001:db8::"));
        let mut other = Pseudonymizer::new([9; 16]);
        assert_ne!(other.replace(Personal::Email, "adele.vance@contoso.com"), e);
    }
}
