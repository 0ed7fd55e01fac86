//! A decoder for the LZMA "alone" format (`xz --format=lzma`), written from
//! the format's description. It runs once at page start-up to unpack the
//! main WASM module, which travels LZMA-packed because it is most of the
//! page's weight.
//!
//! Input layout: 1 byte of properties (lc, lp, pb), 4 bytes of dictionary
//! size, 8 bytes of unpacked size (all `0xFF` when unknown), then the
//! range-coded stream. The caller knows the unpacked size (build.sh writes it
//! into the header), so output goes into a buffer of that size and nothing is
//! allocated.
//!
//! The WASM face has no imports: `reserve` grows linear memory for the
//! input and output, `start` reads the header, and `step` decodes a stretch
//! at a time (see [`Decoder`] for why in steps).
#![cfg_attr(target_arch = "wasm32", no_std)]

/// Why decoding stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The header is short or its properties are out of range.
    Header,
    /// The stream refers to bytes before the start, or its header size is wrong.
    Corrupt,
    /// The output buffer is smaller than the stream's content.
    TooLong,
}

/// Probabilities are 11-bit; every model starts at one half.
const HALF: u16 = 1024;
const STATES: usize = 12;
const POS_STATES: usize = 16;

/// The range decoder over the compressed bytes.
struct Range<'a> {
    input: &'a [u8],
    pos: usize,
    range: u32,
    code: u32,
}

impl<'a> Range<'a> {
    fn new(input: &'a [u8]) -> Result<Range<'a>, Fault> {
        if input.len() < 5 || input[0] != 0 {
            return Err(Fault::Header);
        }
        let code = u32::from_be_bytes([input[1], input[2], input[3], input[4]]);
        Ok(Range {
            input,
            pos: 5,
            range: u32::MAX,
            code,
        })
    }

    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < 1 << 24 {
            self.range <<= 8;
            // Past the end reads zeros; a corrupt stream then fails elsewhere.
            let b = self.input.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
            self.code = (self.code << 8) | u32::from(b);
        }
    }

    #[inline(always)]
    fn bit(&mut self, p: &mut u16) -> usize {
        let bound = (self.range >> 11) * u32::from(*p);
        let b = if self.code < bound {
            self.range = bound;
            *p += (2048 - *p) >> 5;
            0
        } else {
            self.range -= bound;
            self.code -= bound;
            *p -= *p >> 5;
            1
        };
        self.normalize();
        b
    }

    fn direct(&mut self, count: u32) -> u32 {
        let mut v = 0;
        for _ in 0..count {
            self.range >>= 1;
            let b = u32::from(self.code >= self.range);
            if b == 1 {
                self.code -= self.range;
            }
            v = (v << 1) | b;
            self.normalize();
        }
        v
    }

    /// A bit tree of `probs.len()` leaves, most significant bit first.
    fn tree(&mut self, probs: &mut [u16]) -> usize {
        let mut m = 1;
        while m < probs.len() {
            m = (m << 1) | self.bit(&mut probs[m]);
        }
        m - probs.len()
    }

    /// A bit tree read least significant bit first.
    fn reverse(&mut self, probs: &mut [u16], bits: u32) -> u32 {
        let mut m = 1;
        let mut v = 0;
        for i in 0..bits {
            let b = self.bit(&mut probs[m]);
            m = (m << 1) | b;
            v |= (b as u32) << i;
        }
        v
    }
}

/// A match-length model: two choice bits, then 3, 3 or 8 bits.
struct Length {
    choice: [u16; 2],
    low: [[u16; 8]; POS_STATES],
    mid: [[u16; 8]; POS_STATES],
    high: [u16; 256],
}

impl Length {
    const ZERO: Length = Length {
        choice: [0; 2],
        low: [[0; 8]; POS_STATES],
        mid: [[0; 8]; POS_STATES],
        high: [0; 256],
    };

    fn reset(&mut self) {
        self.choice.fill(HALF);
        self.low.iter_mut().for_each(|t| t.fill(HALF));
        self.mid.iter_mut().for_each(|t| t.fill(HALF));
        self.high.fill(HALF);
    }

    fn read(&mut self, rc: &mut Range<'_>, pos_state: usize) -> usize {
        if rc.bit(&mut self.choice[0]) == 0 {
            rc.tree(&mut self.low[pos_state])
        } else if rc.bit(&mut self.choice[1]) == 0 {
            8 + rc.tree(&mut self.mid[pos_state])
        } else {
            16 + rc.tree(&mut self.high)
        }
    }
}

/// The largest literal model (lc + lp = 12 would need 0x300 << 12); the
/// packer uses the defaults (lc = 3, lp = 0), so a fixed table of
/// 0x300 << 4 covers lc + lp <= 4.
const MAX_LC_LP: u32 = 4;

struct Models {
    is_match: [u16; STATES * POS_STATES],
    is_rep: [u16; STATES],
    is_rep_g0: [u16; STATES],
    is_rep_g1: [u16; STATES],
    is_rep_g2: [u16; STATES],
    is_rep0_long: [u16; STATES * POS_STATES],
    literal: [u16; 0x300 << MAX_LC_LP],
    pos_slot: [[u16; 64]; 4],
    pos_special: [u16; 115],
    align: [u16; 16],
    match_len: Length,
    rep_len: Length,
}

impl Models {
    /// All zeros, so the static lands in zeroed memory rather than in the
    /// module's data; [`Models::reset`] sets the real starting values.
    const ZERO: Models = Models {
        is_match: [0; STATES * POS_STATES],
        is_rep: [0; STATES],
        is_rep_g0: [0; STATES],
        is_rep_g1: [0; STATES],
        is_rep_g2: [0; STATES],
        is_rep0_long: [0; STATES * POS_STATES],
        literal: [0; 0x300 << MAX_LC_LP],
        pos_slot: [[0; 64]; 4],
        pos_special: [0; 115],
        align: [0; 16],
        match_len: Length::ZERO,
        rep_len: Length::ZERO,
    };

    fn reset(&mut self) {
        for t in [
            &mut self.is_match[..],
            &mut self.is_rep,
            &mut self.is_rep_g0,
            &mut self.is_rep_g1,
            &mut self.is_rep_g2,
            &mut self.is_rep0_long,
            &mut self.literal,
            &mut self.pos_special,
            &mut self.align,
        ] {
            t.fill(HALF);
        }
        self.pos_slot.iter_mut().for_each(|t| t.fill(HALF));
        self.match_len.reset();
        self.rep_len.reset();
    }

    fn distance(&mut self, rc: &mut Range<'_>, len: usize) -> u32 {
        let slot = rc.tree(&mut self.pos_slot[len.min(3)]) as u32;
        if slot < 4 {
            return slot;
        }
        let bits = (slot >> 1) - 1;
        let base = (2 | (slot & 1)) << bits;
        if slot < 14 {
            let from = (base - slot) as usize;
            base + rc.reverse(&mut self.pos_special[from..], bits)
        } else {
            base.wrapping_add(rc.direct(bits - 4) << 4)
                .wrapping_add(rc.reverse(&mut self.align, 4))
        }
    }
}

/// The unpacked size the header declares, if any.
pub fn declared_size(input: &[u8]) -> Option<u64> {
    let size = u64::from_le_bytes(input.get(5..13)?.try_into().ok()?);
    (size != u64::MAX).then_some(size)
}

/// Decode `input` into `out`; returns the number of bytes written.
pub fn decode(input: &[u8], out: &mut [u8]) -> Result<usize, Fault> {
    let mut d = Decoder::new(input, out.len())?;
    while !d.run(input, out, usize::MAX)? {}
    Ok(d.n)
}

/// Where the models live (about 90 KB). In WASM, a static: not on the small
/// stack, and no allocator in a `no_std` module; it is single-threaded and
/// decodes one stream at a time. Natively (tests), a box per decoder, so
/// tests on parallel threads do not share one.
struct Store {
    #[cfg(not(target_arch = "wasm32"))]
    boxed: std::boxed::Box<Models>,
}

impl Store {
    fn new() -> Store {
        Store {
            #[cfg(not(target_arch = "wasm32"))]
            boxed: std::boxed::Box::new(Models::ZERO),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn get(&mut self) -> &mut Models {
        &mut self.boxed
    }

    #[cfg(target_arch = "wasm32")]
    fn get(&mut self) -> &mut Models {
        static mut MODELS: Models = Models::ZERO;
        // SAFETY: WASM here is single-threaded and only one decoder exists at
        // a time (the exports keep one); the borrow ends with `&mut self`'s.
        #[allow(static_mut_refs)]
        unsafe {
            &mut MODELS
        }
    }
}

/// A decoding in progress, so it can be done in steps: the browser compiles
/// a WASM function with its fast baseline compiler first and swaps in the
/// optimized code only between calls, so one long call would run slow code
/// throughout, while a few dozen short ones run the optimized code for most
/// of the work.
pub struct Decoder {
    lc: u32,
    lp: u32,
    pb: u32,
    size: Option<usize>,
    limit: usize,
    pos: usize,
    range: u32,
    code: u32,
    n: usize,
    state: usize,
    reps: [u32; 4],
    done: bool,
    models: Store,
}

impl Decoder {
    /// Read the header of `input`, for an output buffer of `out_len` bytes.
    pub fn new(input: &[u8], out_len: usize) -> Result<Decoder, Fault> {
        if input.len() < 13 || input[0] >= 9 * 5 * 5 {
            return Err(Fault::Header);
        }
        let props = u32::from(input[0]);
        let (lc, lp, pb) = (props % 9, (props / 9) % 5, props / 45);
        if lc + lp > MAX_LC_LP {
            return Err(Fault::Header);
        }
        let size = match declared_size(input) {
            Some(n) if n > out_len as u64 => return Err(Fault::TooLong),
            Some(n) => Some(n as usize),
            None => None,
        };
        let rc = Range::new(&input[13..])?;
        let mut models = Store::new();
        models.get().reset();
        Ok(Decoder {
            lc,
            lp,
            pb,
            size,
            limit: size.unwrap_or(out_len),
            pos: rc.pos,
            range: rc.range,
            code: rc.code,
            n: 0,
            state: 0,
            reps: [0; 4],
            done: false,
            models,
        })
    }

    /// How many bytes are decoded.
    pub fn written(&self) -> usize {
        self.n
    }

    /// Decode until at least `until` bytes are out or the stream ends; true
    /// when it has ended. `input` and `out` must be the same on every call.
    pub fn run(&mut self, input: &[u8], out: &mut [u8], until: usize) -> Result<bool, Fault> {
        if self.done {
            return Ok(true);
        }
        let mut rc = Range {
            input: input.get(13..).ok_or(Fault::Header)?,
            pos: self.pos,
            range: self.range,
            code: self.code,
        };
        let result = self.steps(&mut rc, out, until);
        (self.pos, self.range, self.code) = (rc.pos, rc.range, rc.code);
        self.done = result?;
        if self.done && self.size.is_some_and(|s| s != self.n) {
            return Err(Fault::Corrupt);
        }
        Ok(self.done)
    }

    fn steps(&mut self, rc: &mut Range<'_>, out: &mut [u8], until: usize) -> Result<bool, Fault> {
        let m = self.models.get();
        let (lc, size, limit) = (self.lc, self.size, self.limit);
        let (pb_mask, lp_mask) = ((1usize << self.pb) - 1, (1usize << self.lp) - 1);
        let (mut n, mut state, mut reps) = (self.n, self.state, self.reps);
        let ended = loop {
            if size.is_some() && n >= limit {
                break true;
            }
            if n >= until {
                break false;
            }
            let pos_state = n & pb_mask;
            if rc.bit(&mut m.is_match[(state << 4) + pos_state]) == 0 {
                let prev = if n > 0 { out[n - 1] } else { 0 };
                let base = 0x300 * (((n & lp_mask) << lc) + (usize::from(prev) >> (8 - lc)));
                let probs = &mut m.literal[base..base + 0x300];
                let mut sym = 1usize;
                if state >= 7 {
                    let at = n.checked_sub(reps[0] as usize + 1).ok_or(Fault::Corrupt)?;
                    let mut matched = usize::from(out[at]);
                    while sym < 0x100 {
                        let mb = (matched >> 7) & 1;
                        matched <<= 1;
                        let b = rc.bit(&mut probs[((1 + mb) << 8) + sym]);
                        sym = (sym << 1) | b;
                        if mb != b {
                            break;
                        }
                    }
                }
                while sym < 0x100 {
                    sym = (sym << 1) | rc.bit(&mut probs[sym]);
                }
                *out.get_mut(n).ok_or(Fault::TooLong)? = sym as u8;
                n += 1;
                state = match state {
                    0..=3 => 0,
                    4..=9 => state - 3,
                    _ => state - 6,
                };
                continue;
            }
            let len;
            if rc.bit(&mut m.is_rep[state]) == 0 {
                reps = [0, reps[0], reps[1], reps[2]];
                len = m.match_len.read(rc, pos_state);
                state = if state < 7 { 7 } else { 10 };
                reps[0] = m.distance(rc, len);
                if reps[0] == u32::MAX {
                    break true; // the end marker
                }
            } else {
                if n == 0 {
                    return Err(Fault::Corrupt);
                }
                if rc.bit(&mut m.is_rep_g0[state]) == 0 {
                    if rc.bit(&mut m.is_rep0_long[(state << 4) + pos_state]) == 0 {
                        state = if state < 7 { 9 } else { 11 };
                        let at = n.checked_sub(reps[0] as usize + 1).ok_or(Fault::Corrupt)?;
                        *out.get_mut(n).ok_or(Fault::TooLong)? = out[at];
                        n += 1;
                        continue;
                    }
                } else {
                    let dist;
                    if rc.bit(&mut m.is_rep_g1[state]) == 0 {
                        dist = reps[1];
                    } else {
                        if rc.bit(&mut m.is_rep_g2[state]) == 0 {
                            dist = reps[2];
                        } else {
                            dist = reps[3];
                            reps[3] = reps[2];
                        }
                        reps[2] = reps[1];
                    }
                    reps[1] = reps[0];
                    reps[0] = dist;
                }
                len = m.rep_len.read(rc, pos_state);
                state = if state < 7 { 8 } else { 11 };
            }
            let from = n.checked_sub(reps[0] as usize + 1).ok_or(Fault::Corrupt)?;
            let count = (len + 2).min(limit - n);
            if n + count > out.len() {
                return Err(Fault::TooLong);
            }
            // Byte by byte: source and destination overlap when the distance is short.
            for i in 0..count {
                out[n + i] = out[from + i];
            }
            n += count;
        };
        (self.n, self.state, self.reps) = (n, state, reps);
        Ok(ended)
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    //! The raw WASM exports (no wasm-bindgen: the module imports nothing).

    /// Grow memory by `bytes` and return where the new space starts.
    #[no_mangle]
    pub extern "C" fn reserve(bytes: usize) -> usize {
        let pages = bytes.div_ceil(65536);
        let old = core::arch::wasm32::memory_grow(0, pages);
        if old == usize::MAX {
            0
        } else {
            old * 65536
        }
    }

    static mut DECODER: Option<super::Decoder> = None;

    /// Start decoding `in_len` bytes at `input` for `out_len` bytes of output.
    /// Returns 0, or 2 + the fault's number.
    #[no_mangle]
    pub extern "C" fn start(input: *const u8, in_len: usize, out_len: usize) -> u32 {
        // SAFETY: the caller passes a region it got from `reserve`.
        let input = unsafe { core::slice::from_raw_parts(input, in_len) };
        match super::Decoder::new(input, out_len) {
            Ok(d) => {
                // SAFETY: single-threaded; no other reference to DECODER is live.
                unsafe { *core::ptr::addr_of_mut!(DECODER) = Some(d) };
                0
            }
            Err(f) => 2 + f as u32,
        }
    }

    /// Go on until `until` bytes are out. Returns 0 while there is more,
    /// 1 when the whole stream is out, or 2 + the fault's number.
    #[no_mangle]
    pub extern "C" fn step(
        input: *const u8,
        in_len: usize,
        out: *mut u8,
        out_len: usize,
        until: usize,
    ) -> u32 {
        // SAFETY: the same regions as for `start`, from `reserve`; single-threaded.
        let (input, out, decoder) = unsafe {
            (
                core::slice::from_raw_parts(input, in_len),
                core::slice::from_raw_parts_mut(out, out_len),
                (*core::ptr::addr_of_mut!(DECODER)).as_mut(),
            )
        };
        let Some(d) = decoder else {
            return 2 + super::Fault::Header as u32;
        };
        match d.run(input, out, until) {
            Ok(true) if d.written() == out_len => 1,
            Ok(true) => 2 + super::Fault::Corrupt as u32,
            Ok(false) => 0,
            Err(f) => 2 + f as u32,
        }
    }

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}

#[cfg(test)]
mod tests {
    //! Round trips through the real packer, `xz --format=lzma`, which
    //! build.sh installs; and damaged streams, which must fail, not panic.
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn pack(data: &[u8], preset: &str) -> Vec<u8> {
        let mut child = Command::new("xz")
            .args(["--format=lzma", preset, "-c"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("xz (xz-utils) is needed for these tests; ./build.sh installs it");
        let mut stdin = child.stdin.take().unwrap();
        let input = data.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert!(out.status.success());
        out.stdout
    }

    /// A deterministic mix: text, repeats at every distance, and noise.
    fn sample(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let words = [
            "the ",
            "sign-in ",
            "AADSTS50074 ",
            "token ",
            "\0\x01",
            "{\"error\":",
            "é ",
            "ü",
        ];
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            match rnd() % 4 {
                0 => out.extend_from_slice(words[(rnd() % words.len() as u64) as usize].as_bytes()),
                1 if !out.is_empty() => {
                    let d = 1 + (rnd() % out.len() as u64) as usize;
                    let n = 1 + (rnd() % 300) as usize;
                    for _ in 0..n {
                        out.push(out[out.len() - d]);
                    }
                }
                _ => out.push(rnd() as u8),
            }
        }
        out.truncate(len);
        out
    }

    fn unpack(packed: &[u8], len: usize) -> Result<Vec<u8>, Fault> {
        let mut out = vec![0; len];
        let n = decode(packed, &mut out)?;
        out.truncate(n);
        Ok(out)
    }

    #[test]
    fn round_trips_through_xz() {
        for (len, seed) in [
            (0, 1),
            (1, 2),
            (100, 3),
            (5000, 4),
            (70_000, 5),
            (1 << 20, 6),
        ] {
            let data = sample(len, seed);
            for preset in ["-0", "-6", "-9e"] {
                let packed = pack(&data, preset);
                assert_eq!(declared_size(&packed), None, "xz writes an unknown size");
                assert_eq!(
                    unpack(&packed, len).as_deref(),
                    Ok(&data[..]),
                    "{len} bytes, {preset}"
                );
                // With the size written into the header, as build.sh does.
                let mut sized = packed.clone();
                sized[5..13].copy_from_slice(&(len as u64).to_le_bytes());
                assert_eq!(unpack(&sized, len).as_deref(), Ok(&data[..]));
            }
        }
    }

    #[test]
    fn decoding_in_steps_gives_the_same_bytes() {
        let data = sample(300_000, 11);
        let mut packed = pack(&data, "-9e");
        packed[5..13].copy_from_slice(&(data.len() as u64).to_le_bytes());
        for step in [1, 777, 32 * 1024] {
            let mut out = vec![0; data.len()];
            let mut d = Decoder::new(&packed, out.len()).unwrap();
            let mut until = 0;
            let mut calls = 0;
            while !d.run(&packed, &mut out, until).unwrap() {
                until += step;
                calls += 1;
            }
            assert_eq!(out, data, "steps of {step}");
            // A match can carry past `until`, so a little fewer calls than steps.
            assert!(
                calls >= data.len() / step / 2,
                "it stopped early: {calls} calls"
            );
        }
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let data = sample(20_000, 9);
        let mut packed = pack(&data, "-6");
        packed[5..13].copy_from_slice(&(data.len() as u64).to_le_bytes());
        assert_eq!(unpack(&packed[..5], data.len()), Err(Fault::Header));
        assert_eq!(unpack(&packed, data.len() - 1), Err(Fault::TooLong));
        let mut bad = packed.clone();
        bad[0] = 230;
        assert_eq!(unpack(&bad, data.len()), Err(Fault::Header));
        // Flip each byte in turn (and cut the stream short): any outcome but a panic.
        for i in (13..packed.len()).step_by(7) {
            let mut bad = packed.clone();
            bad[i] ^= 0x5A;
            let _ = unpack(&bad, data.len());
            let _ = unpack(&packed[..i], data.len());
        }
    }
}
