//! The tagger: a first-order averaged perceptron over BIO tags with hashed features, decoded by
//! Viterbi under the BIO constraints, and its binary format.
//!
//! Format (little-endian): `RASDNER\0`, format version (u32), feature version (u32), hash bits
//! (u32), tag count (u32), transitions `(NTAGS + 1) × NTAGS` i32 (last row: sentence start), the
//! number of stored rows (u32), then per stored row the delta of its bucket index from the previous
//! one (LEB128 varint) and `NTAGS` i16 weights. Rows whose weights all quantize to zero are not stored.

use std::fmt;

use crate::features::FEATURE_VERSION;
use crate::tags::{allowed, NTAGS};

const MAGIC: &[u8; 8] = b"RASDNER\0";
const FORMAT_VERSION: u32 = 1;
/// Row of the transition table used for the sentence start.
const START: usize = NTAGS;

/// Why a model could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad NER model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

/// Quantized weights, ready to tag.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    bits: u32,
    weights: Vec<i16>,
    trans: Vec<i32>,
}

/// Emission scores of one token.
pub(crate) type Scores = [i32; NTAGS];

impl Model {
    fn mask(&self) -> u64 {
        (1u64 << self.bits) - 1
    }

    /// Scores of a token from its hashed features.
    pub fn score(&self, feats: &[u64]) -> Scores {
        let mut s = [0i32; NTAGS];
        let mask = self.mask();
        for &f in feats {
            let row = (f & mask) as usize * NTAGS;
            if let Some(w) = self.weights.get(row..row + NTAGS) {
                for (a, &b) in s.iter_mut().zip(w) {
                    *a += i32::from(b);
                }
            }
        }
        s
    }

    /// Best tag sequence for the emission scores.
    pub fn viterbi(&self, em: &[Scores]) -> Vec<u8> {
        viterbi(em, |p, c| {
            self.trans.get(p * NTAGS + c).copied().unwrap_or(0) as f32
        })
    }

    /// Reads a model written by [`Trainer::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { b, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError("not a rasd NER model (magic)".into()));
        }
        let fv = r.u32()?;
        if fv != FORMAT_VERSION {
            return Err(ModelError(format!(
                "format version {fv}, expected {FORMAT_VERSION}"
            )));
        }
        let feat = r.u32()?;
        if feat != FEATURE_VERSION {
            return Err(ModelError(format!(
                "trained on feature version {feat}, this build extracts {FEATURE_VERSION}: retrain"
            )));
        }
        let bits = r.u32()?;
        if !(8..=24).contains(&bits) {
            return Err(ModelError(format!("hash bits {bits} out of range")));
        }
        let ntags = r.u32()?;
        if ntags as usize != NTAGS {
            return Err(ModelError(format!("{ntags} tags, expected {NTAGS}")));
        }
        let mut trans = Vec::with_capacity((NTAGS + 1) * NTAGS);
        for _ in 0..(NTAGS + 1) * NTAGS {
            trans.push(r.u32()? as i32);
        }
        let rows = r.u32()? as usize;
        let size = 1usize << bits;
        if rows > size {
            return Err(ModelError(format!("{rows} rows for {size} buckets")));
        }
        let mut weights = vec![0i16; size * NTAGS];
        let mut idx: usize = 0;
        for n in 0..rows {
            let delta = r.varint()? as usize;
            idx = if n == 0 {
                delta
            } else {
                idx.saturating_add(delta)
            };
            let row = weights
                .get_mut(idx * NTAGS..idx * NTAGS + NTAGS)
                .ok_or_else(|| ModelError(format!("row {idx} out of range")))?;
            for w in row.iter_mut() {
                let x = r.take(2)?;
                *w = i16::from_le_bytes([
                    x.first().copied().unwrap_or(0),
                    x.get(1).copied().unwrap_or(0),
                ]);
            }
        }
        if r.pos != b.len() {
            return Err(ModelError("trailing bytes".into()));
        }
        Ok(Model {
            bits,
            weights,
            trans,
        })
    }
}

/// Magic of a two-stage model: the first stage's bytes, preceded by their length (u32), then
/// the second's (each a model of [`Model::to_bytes`]).
const STAGED_MAGIC: &[u8; 8] = b"RASDNE2\0";

/// Packs a first-stage and a second-stage model into one file.
pub(crate) fn join_stages(first: &[u8], second: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + first.len() + second.len());
    out.extend_from_slice(STAGED_MAGIC);
    out.extend_from_slice(&(first.len() as u32).to_le_bytes());
    out.extend_from_slice(first);
    out.extend_from_slice(second);
    out
}

/// Reads a model file: a single model, or two stages written by [`join_stages`].
pub(crate) fn read_stages(b: &[u8]) -> Result<(Model, Option<Model>), ModelError> {
    let Some(rest) = b.strip_prefix(STAGED_MAGIC.as_slice()) else {
        return Ok((Model::from_bytes(b)?, None));
    };
    let mut r = Reader { b: rest, pos: 0 };
    let n = r.u32()? as usize;
    let first = r.take(n)?;
    let second = rest.get(r.pos..).unwrap_or(&[]);
    Ok((Model::from_bytes(first)?, Some(Model::from_bytes(second)?)))
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let s = self
            .b
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| ModelError("truncated".into()))?;
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let s = self.take(4)?;
        let mut a = [0u8; 4];
        a.copy_from_slice(s);
        Ok(u32::from_le_bytes(a))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first().unwrap_or(&0);
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError("varint too long".into()))
    }
}

/// Viterbi over BIO tags with a transition score function `(prev, cur)`, `prev == START` at the
/// sentence start; forbidden transitions are never taken.
fn viterbi<E: Copy + Into<f64>, const N: usize>(
    em: &[[E; N]],
    trans: impl Fn(usize, usize) -> f32,
) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let neg = f64::NEG_INFINITY;
    let mut back = vec![[0u8; N]; n];
    let mut cur = [neg; N];
    if let Some(e0) = em.first() {
        for t in 0..N {
            if allowed(None, t as u8) {
                cur[t] = e0[t].into() + f64::from(trans(START, t));
            }
        }
    }
    for i in 1..n {
        let mut next = [neg; N];
        let Some(e) = em.get(i) else { break };
        for t in 0..N {
            let mut best = neg;
            let mut arg = 0u8;
            for (p, &cp) in cur.iter().enumerate() {
                if cp == neg || !allowed(Some(p as u8), t as u8) {
                    continue;
                }
                let s = cp + f64::from(trans(p, t));
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            if best > neg {
                next[t] = best + e[t].into();
            }
            if let Some(b) = back.get_mut(i) {
                b[t] = arg;
            }
        }
        cur = next;
    }
    let mut last = 0u8;
    let mut best = neg;
    for (t, &s) in cur.iter().enumerate() {
        if s > best {
            best = s;
            last = t as u8;
        }
    }
    let mut out = vec![0u8; n];
    for i in (0..n).rev() {
        if let Some(o) = out.get_mut(i) {
            *o = last;
        }
        if i > 0 {
            last = back.get(i).map(|b| b[usize::from(last)]).unwrap_or(0);
        }
    }
    out
}

/// One training sentence: hashed features per token and gold tags.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Features of token `i`: `feats[offsets[i]..offsets[i + 1]]`.
    pub(crate) feats: Vec<u32>,
    pub(crate) offsets: Vec<usize>,
    /// Gold tag indices.
    pub tags: Vec<u8>,
}

impl Example {
    fn token(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.feats.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Averaged perceptron training (deterministic: the order of examples is shuffled by a fixed seed).
#[derive(Debug, Clone)]
pub struct Trainer {
    bits: u32,
    w: Vec<f32>,
    u: Vec<f32>,
    tw: Vec<f32>,
    tu: Vec<f32>,
    c: f32,
    rng: u64,
    /// Share of features dropped (per token, per epoch) while training, in 1/256ths.
    dropout: u8,
    epoch_no: u64,
}

impl Trainer {
    /// A trainer with `2^bits` feature buckets.
    pub fn new(bits: u32) -> Trainer {
        let bits = bits.clamp(8, 24);
        let size = (1usize << bits) * NTAGS;
        Trainer {
            bits,
            w: vec![0.0; size],
            u: vec![0.0; size],
            tw: vec![0.0; (NTAGS + 1) * NTAGS],
            tu: vec![0.0; (NTAGS + 1) * NTAGS],
            c: 1.0,
            rng: 0x2545_F491_4F6C_DD1D,
            dropout: 0,
            epoch_no: 0,
        }
    }

    /// Drops each feature occurrence with probability `p` (0–0.9) during training: the model
    /// must then also learn from context and spelling, not only from words it has memorized.
    pub fn set_dropout(&mut self, p: f32) {
        self.dropout = (p.clamp(0.0, 0.9) * 256.0) as u8;
    }

    /// Whether feature `f` of token `i` of example `k` is dropped in this epoch (deterministic).
    fn dropped(&self, k: usize, i: usize, f: u32) -> bool {
        if self.dropout == 0 {
            return false;
        }
        let mut h = (k as u64) << 32
            ^ (i as u64) << 16
            ^ u64::from(f)
            ^ self.epoch_no.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        ((h & 0xff) as u8) < self.dropout
    }

    /// Turns hashed features into this trainer's buckets.
    pub(crate) fn example(&self, feats_per_token: &[Vec<u64>], tags: Vec<u8>) -> Example {
        let mask = (1u64 << self.bits) - 1;
        let mut ex = Example {
            tags,
            ..Example::default()
        };
        ex.offsets.push(0);
        for f in feats_per_token {
            ex.feats.extend(f.iter().map(|&h| (h & mask) as u32));
            ex.offsets.push(ex.feats.len());
        }
        ex
    }

    fn decode(&self, k: usize, ex: &Example) -> Vec<u8> {
        let em: Vec<[f32; NTAGS]> = (0..ex.tags.len())
            .map(|i| {
                let mut s = [0f32; NTAGS];
                for &f in ex.token(i) {
                    if self.dropped(k, i, f) {
                        continue;
                    }
                    let row = f as usize * NTAGS;
                    if let Some(w) = self.w.get(row..row + NTAGS) {
                        for (a, &b) in s.iter_mut().zip(w) {
                            *a += b;
                        }
                    }
                }
                s
            })
            .collect();
        viterbi(&em, |p, c| {
            self.tw.get(p * NTAGS + c).copied().unwrap_or(0.0)
        })
    }

    fn bump(&mut self, f: u32, tag: u8, d: f32) {
        let i = f as usize * NTAGS + usize::from(tag);
        let c = self.c;
        if let (Some(w), Some(u)) = (self.w.get_mut(i), self.u.get_mut(i)) {
            *w += d;
            *u += c * d;
        }
    }

    fn bump_trans(&mut self, p: usize, t: u8, d: f32) {
        let i = p * NTAGS + usize::from(t);
        let c = self.c;
        if let (Some(w), Some(u)) = (self.tw.get_mut(i), self.tu.get_mut(i)) {
            *w += d;
            *u += c * d;
        }
    }

    /// One pass over the examples in a shuffled order; returns the token errors made.
    pub fn epoch(&mut self, examples: &[Example]) -> usize {
        let mut order: Vec<usize> = (0..examples.len()).collect();
        for i in (1..order.len()).rev() {
            self.rng ^= self.rng << 13;
            self.rng ^= self.rng >> 7;
            self.rng ^= self.rng << 17;
            let j = (self.rng % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        self.epoch_no += 1;
        let mut errors = 0;
        for &k in &order {
            let Some(ex) = examples.get(k) else { continue };
            let pred = self.decode(k, ex);
            if pred != ex.tags {
                for i in 0..ex.tags.len() {
                    let (g, p) = (
                        ex.tags.get(i).copied().unwrap_or(0),
                        pred.get(i).copied().unwrap_or(0),
                    );
                    let gp = if i == 0 {
                        START
                    } else {
                        usize::from(ex.tags.get(i - 1).copied().unwrap_or(0))
                    };
                    let pp = if i == 0 {
                        START
                    } else {
                        usize::from(pred.get(i - 1).copied().unwrap_or(0))
                    };
                    if g != p {
                        errors += 1;
                        let feats: Vec<u32> = ex
                            .token(i)
                            .iter()
                            .copied()
                            .filter(|&f| !self.dropped(k, i, f))
                            .collect();
                        for f in feats {
                            self.bump(f, g, 1.0);
                            self.bump(f, p, -1.0);
                        }
                    }
                    if g != p || gp != pp {
                        self.bump_trans(gp, g, 1.0);
                        self.bump_trans(pp, p, -1.0);
                    }
                }
            }
            self.c += 1.0;
        }
        errors
    }

    /// The averaged weights, quantized, as a model.
    pub(crate) fn model(&self) -> Model {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(&w, &u)| w - u / self.c).collect()
        };
        let w = avg(&self.w, &self.u);
        let t = avg(&self.tw, &self.tu);
        let max = w
            .iter()
            .chain(t.iter())
            .fold(0f32, |m, &x| m.max(x.abs()))
            .max(1e-6);
        let scale = 32000.0 / max;
        Model {
            bits: self.bits,
            weights: w.iter().map(|&x| (x * scale).round() as i16).collect(),
            trans: t.iter().map(|&x| (x * scale).round() as i32).collect(),
        }
    }
}

impl Model {
    /// The binary form read by [`Model::from_bytes`].
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for v in [FORMAT_VERSION, FEATURE_VERSION, self.bits, NTAGS as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for &t in &self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let rows: Vec<usize> = self
            .weights
            .chunks(NTAGS)
            .enumerate()
            .filter(|(_, r)| r.iter().any(|&x| x != 0))
            .map(|(i, _)| i)
            .collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        let mut prev = 0usize;
        for (n, &i) in rows.iter().enumerate() {
            let mut d = (if n == 0 { i } else { i - prev }) as u64;
            prev = i;
            loop {
                let byte = (d & 0x7f) as u8;
                d >>= 7;
                if d == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            for &w in self
                .weights
                .get(i * NTAGS..i * NTAGS + NTAGS)
                .unwrap_or(&[])
            {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Sets weights whose magnitude is at most `threshold` (quantized units) to zero, to shrink
    /// the stored model; returns how many were cut.
    pub(crate) fn prune(&mut self, threshold: i16) -> usize {
        let mut n = 0;
        for w in self.weights.iter_mut() {
            if *w != 0 && w.unsigned_abs() <= threshold.unsigned_abs() {
                *w = 0;
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Trainer, Vec<Example>) {
        let mut tr = Trainer::new(10);
        // Token "a" is B-PER, "b" after "a" is I-PER, "c" is O.
        let f = |s: &str, prev: &str| {
            vec![
                s.len() as u64 * 7919 + s.as_bytes()[0] as u64,
                31 + prev.as_bytes()[0] as u64,
            ]
        };
        let mut exs = Vec::new();
        for _ in 0..5 {
            exs.push(tr.example(&[f("a", "^"), f("b", "a"), f("c", "b")], vec![1, 2, 0]));
            exs.push(tr.example(&[f("c", "^"), f("a", "c")], vec![0, 1]));
        }
        for _ in 0..5 {
            tr.epoch(&exs);
        }
        (tr, exs)
    }

    #[test]
    fn learns_a_toy_problem_and_round_trips() {
        let (tr, exs) = toy();
        let m = tr.model();
        let back = Model::from_bytes(&m.to_bytes()).map_err(|e| e.to_string());
        assert!(back.is_ok(), "{back:?}");
        let Ok(back) = back else { return };
        for ex in &exs {
            let em: Vec<Scores> = (0..ex.tags.len())
                .map(|i| {
                    let feats: Vec<u64> = ex.token(i).iter().map(|&x| u64::from(x)).collect();
                    back.score(&feats)
                })
                .collect();
            assert_eq!(back.viterbi(&em), ex.tags);
        }
    }

    #[test]
    fn refuses_bad_bytes() {
        let (tr, _) = toy();
        let bytes = tr.model().to_bytes();
        assert!(Model::from_bytes(&[]).is_err());
        assert!(Model::from_bytes(b"RASDNER\0").is_err());
        assert!(Model::from_bytes(bytes.get(..bytes.len() - 1).unwrap_or(&[])).is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Model::from_bytes(&extra).is_err());
        let mut wrong = bytes;
        if let Some(b) = wrong.get_mut(12) {
            *b ^= 0xff;
        }
        assert!(Model::from_bytes(&wrong).is_err());
    }

    #[test]
    fn two_stages_round_trip_and_bad_containers_are_refused() {
        let (tr, _) = toy();
        let one = tr.model().to_bytes();
        let both = join_stages(&one, &one);
        let read = read_stages(&both);
        assert!(matches!(read, Ok((_, Some(_)))), "{read:?}");
        assert!(matches!(read_stages(&one), Ok((_, None))));
        // Truncated second stage, a length past the end, an empty container.
        assert!(read_stages(both.get(..both.len() - 3).unwrap_or(&[])).is_err());
        let mut long = both.clone();
        if let Some(b) = long.get_mut(11) {
            *b = 0x7f;
        }
        assert!(read_stages(&long).is_err());
        assert!(read_stages(STAGED_MAGIC).is_err());
    }

    #[test]
    fn viterbi_never_emits_bad_bio() {
        // Emissions that prefer I-PER everywhere still yield a B- first.
        let em = vec![[0, 0, 10, 0, 0, 0, 0, 0, 0]; 3];
        let out = viterbi(&em, |_, _| 0.0);
        assert_eq!(out, vec![1, 2, 2]);
        assert!(viterbi::<i32, NTAGS>(&[], |_, _| 0.0).is_empty());
    }
}
