//! Items per second through the typed event stream against the same bytes parsed by hand.
//!
//! A body of server-sent events is synthesized once from a fixed seed: 20,000 chunks of a chat
//! completion stream (an id, a model, a `choices` array with a delta and an index, usage numbers
//! at the end of each completion), each event `data: {json}` and an empty line; some carry
//! `event:` and `id:` fields, some are pretty-printed over several `data:` lines, a few are led
//! by a comment, and the body ends with `data: [DONE]`. It is cut into chunks of 1–16 KiB at
//! random places, so that chunk boundaries fall inside lines and fields, as a network delivers
//! them. Then, in rounds:
//!
//! - measured: `client_runtime::event_stream::ItemStream` (the source every generated crate
//!   carries) over `ByteSource::from_chunks`, with `Framing::Sse` and the terminator `[DONE]`,
//!   read with `next().await` on a current-thread tokio runtime, each item a [`ChatChunk`];
//! - baseline: what a user would write with the same SSE decoder by hand: a loop feeding the same
//!   chunks to `client_runtime::sse::SseDecoder`, stopping at `[DONE]`, and decoding each event's
//!   data with `serde_json::from_str` into the same type.
//!
//! For scale (no target), the same items as JSON lines (one compact JSON value per line) through
//! `ItemStream` with `Framing::JsonLines`, against a hand loop that splits lines itself and
//! decodes each with `serde_json::from_slice`.
//!
//! Each case's figure is items per second from its median round; the order of the cases rotates
//! from round to round and the first rounds are not recorded. Every case's items are compared
//! with what was synthesized before anything is timed, and every timed round is checked for the
//! number of items and a checksum of their fields.
//!
//! `cargo bench` runs the full measurement; `cargo test --benches` runs a few hundred events for
//! a couple of rounds, only to check that everything still works.

#[allow(dead_code, reason = "each harness uses part of the shared module")]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use client_runtime::event_stream::{ByteSource, Framing, ItemStream};
use client_runtime::sse::SseDecoder;
use common::{alternate, full_run, median, print_row, spread, Lcg};
use serde::{Deserialize, Serialize};

/// One chunk of a streamed chat completion, as such APIs send them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ChatChunk {
    id: String,
    object: String,
    created: u64,
    model: String,
    #[serde(default)]
    system_fingerprint: Option<String>,
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Choice {
    index: u32,
    delta: Delta,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Delta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Usage {
    prompt_tokens: u32,
    completion_tokens: u32,
    total_tokens: u32,
}

/// How many items a round read, and a checksum of their fields (lengths and numbers, cheap
/// enough not to weigh on the figures), in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    items: usize,
    checksum: u64,
}

impl Tally {
    fn add(&mut self, chunk: &ChatChunk) {
        self.items += 1;
        let mut sum = (chunk.id.len() as u64) ^ chunk.created ^ ((chunk.model.len() as u64) << 8);
        for choice in &chunk.choices {
            let content = choice.delta.content.as_ref().map_or(0, String::len) as u64;
            sum = sum.wrapping_add(u64::from(choice.index) << 16 | content << 20);
            sum ^= u64::from(choice.finish_reason.is_some()) << 40;
        }
        if let Some(usage) = &chunk.usage {
            sum = sum.wrapping_add(u64::from(usage.total_tokens) << 32);
        }
        self.checksum = self.checksum.wrapping_mul(0x0100_0000_01B3).wrapping_add(sum);
    }

    fn of(items: &[ChatChunk]) -> Tally {
        let mut tally = Tally::default();
        items.iter().for_each(|item| tally.add(item));
        tally
    }
}

/// Pieces of text a model streams, a token or so each: words, punctuation, escapes, code and
/// characters outside ASCII (which chunk boundaries may split).
const TOKENS: &[&str] = &[
    " the",
    " stream",
    "ing",
    " response",
    " of",
    " a",
    " model",
    ",",
    ".",
    " and",
    " is",
    " to",
    " in",
    " it",
    "\n\n",
    "\n",
    " \"quoted\"",
    " café",
    " naïve",
    " — ",
    " 😀",
    " 東京",
    " fn",
    " main",
    "()",
    " {",
    " }",
    "```rust\n",
    "```",
    " let",
    " x",
    " =",
    " 42",
    ";",
    " tab\there",
    " back\\slash",
    " résumé",
];

const MODELS: &[&str] = &["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "o3-mini-2025-01-31"];

/// The chunks of one completion of `n` choices: a first chunk with the role, content chunks, a
/// last chunk per choice with the finish reason, and a chunk with the usage and no choices.
fn completion(r: &mut Lcg, serial: u32, out: &mut Vec<ChatChunk>) {
    let id = format!("chatcmpl-{}", r.id(29));
    let created = 1_735_000_000 + u64::from(serial) * 7;
    let model = (*r.pick(MODELS)).to_string();
    let fingerprint = r.chance(80).then(|| format!("fp_{}", r.id(10).to_lowercase()));
    let choices = if r.chance(10) { 2 } else { 1 };
    let chunk = |choices: Vec<Choice>, usage: Option<Usage>| ChatChunk {
        id: id.clone(),
        object: "chat.completion.chunk".into(),
        created,
        model: model.clone(),
        system_fingerprint: fingerprint.clone(),
        choices,
        usage,
    };
    let choice = |index, role: Option<&str>, content: Option<String>, finish_reason: Option<&str>| Choice {
        index,
        delta: Delta { role: role.map(str::to_string), content },
        finish_reason: finish_reason.map(str::to_string),
    };
    for index in 0..choices {
        out.push(chunk(vec![choice(index, Some("assistant"), Some(String::new()), None)], None));
    }
    let deltas = r.between(20, 300);
    for n in 0..deltas {
        let text: String = (0..r.between(1, 3)).map(|_| *r.pick(TOKENS)).collect();
        out.push(chunk(vec![choice(n % choices, None, Some(text), None)], None));
    }
    for index in 0..choices {
        out.push(chunk(vec![choice(index, None, None, Some(*r.pick(&["stop", "stop", "length"])))], None));
    }
    let prompt = r.between(10, 4000);
    let usage = Usage { prompt_tokens: prompt, completion_tokens: deltas, total_tokens: prompt + deltas };
    out.push(chunk(Vec::new(), Some(usage)));
}

/// `count` items (whole completions, cut at `count`), and the same items as a server-sent event
/// body and as JSON lines.
fn synthesize(seed: u64, count: usize) -> (Vec<ChatChunk>, Vec<u8>, Vec<u8>) {
    let mut r = Lcg::new(seed);
    let mut items = Vec::with_capacity(count + 400);
    let mut serial = 0;
    while items.len() < count {
        completion(&mut r, serial, &mut items);
        serial += 1;
    }
    items.truncate(count);

    let mut sse = b"retry: 3000\n\n".to_vec();
    let mut lines = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let json = serde_json::to_string(item).expect("JSON");
        lines.extend_from_slice(json.as_bytes());
        lines.push(b'\n');
        if r.chance(1) {
            sse.extend_from_slice(b": keep-alive\n\n");
        }
        if r.chance(5) {
            sse.extend_from_slice(b"event: completion.chunk\n");
        }
        if r.chance(10) {
            sse.extend_from_slice(format!("id: {n}\n").as_bytes());
        }
        if r.chance(5) {
            // Several `data:` lines, which the decoder joins with LFs: the pretty-printed JSON.
            for line in serde_json::to_string_pretty(item).expect("JSON").lines() {
                sse.extend_from_slice(format!("data: {line}\n").as_bytes());
            }
        } else {
            sse.extend_from_slice(format!("data: {json}\n").as_bytes());
        }
        sse.push(b'\n');
    }
    sse.extend_from_slice(b"data: [DONE]\n\n");
    (items, sse, lines)
}

/// `body` cut into chunks of 1–16 KiB, as a network delivers it.
fn cut(body: &[u8], r: &mut Lcg) -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let size = (r.between(1024, 16 * 1024) as usize).min(rest.len());
        let (chunk, after) = rest.split_at(size);
        chunks.push(chunk.to_vec());
        rest = after;
    }
    chunks
}

/// The chunks as a body for `ItemStream`, each handed over without a copy.
fn source(chunks: &'static [Vec<u8>]) -> ByteSource {
    ByteSource::from_chunks(chunks.iter().map(Vec::as_slice))
}

/// The measured path for server-sent events: the typed stream, `[DONE]` ending it.
async fn stream_sse(chunks: &'static [Vec<u8>], mut each: impl FnMut(ChatChunk)) {
    let mut stream = ItemStream::<ChatChunk>::new(source(chunks), Framing::Sse).terminator("[DONE]");
    while let Some(item) = stream.next().await {
        each(item.expect("an item decodes"));
    }
}

/// The baseline for server-sent events: the same decoder fed by hand, each event's data decoded
/// with `serde_json`.
fn hand_sse(chunks: &[Vec<u8>], mut each: impl FnMut(ChatChunk)) {
    let mut decoder = SseDecoder::new();
    for chunk in chunks {
        decoder.feed(chunk);
        while let Some(event) = decoder.next_event() {
            if event.data == "[DONE]" {
                return;
            }
            each(serde_json::from_str(&event.data).expect("an item decodes"));
        }
    }
}

/// The measured path for JSON lines.
async fn stream_lines(chunks: &'static [Vec<u8>], mut each: impl FnMut(ChatChunk)) {
    let mut stream = ItemStream::<ChatChunk>::new(source(chunks), Framing::JsonLines);
    while let Some(item) = stream.next().await {
        each(item.expect("an item decodes"));
    }
}

/// The baseline for JSON lines: lines split by hand, each decoded with `serde_json`.
fn hand_lines(chunks: &[Vec<u8>], mut each: impl FnMut(ChatChunk)) {
    let mut buffer = Vec::new();
    let mut decode = |line: &[u8]| {
        if !line.trim_ascii().is_empty() {
            each(serde_json::from_slice(line).expect("an item decodes"));
        }
    };
    for chunk in chunks {
        buffer.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(at) = buffer[start..].iter().position(|&byte| byte == b'\n') {
            decode(&buffer[start..start + at]);
            start += at + 1;
        }
        buffer.drain(..start);
    }
    decode(&buffer);
}

/// One way of reading a body: it calls `each` with every item, in order.
type Reader = Box<dyn Fn(&mut dyn FnMut(ChatChunk))>;

/// A case of [`alternate`]: one timed read tallying the items, checked against `expected`
/// after the clock has stopped.
fn timed(read: &Reader, expected: Tally) -> impl FnMut() -> Duration + '_ {
    move || {
        let mut tally = Tally::default();
        let started = Instant::now();
        read(&mut |item| tally.add(black_box(&item)));
        let took = started.elapsed();
        assert_eq!(tally, expected, "a timed round read other items");
        took
    }
}

/// Every item a reader hands out.
fn collect(read: &Reader) -> Vec<ChatChunk> {
    let mut items = Vec::new();
    read(&mut |item| items.push(item));
    items
}

fn main() {
    let full = full_run();
    let (count, warmup, rounds) = if full { (20_000, 3, 60) } else { (300, 0, 2) };
    let (items, sse, lines) = synthesize(0x5EED_0021, count);
    let mut r = Lcg::new(0x0C40_0C40);
    // Leaked so that each round can hand the stream its chunks as `'static` slices, no copy.
    let sse: &'static [Vec<u8>] = Box::leak(cut(&sse, &mut r).into_boxed_slice());
    let lines: &'static [Vec<u8>] = Box::leak(cut(&lines, &mut r).into_boxed_slice());
    let size = |chunks: &[Vec<u8>]| chunks.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    eprintln!(
        "streams: {count} items; {:.2} MB of events in {} chunks, {:.2} MB of JSON lines in {} chunks; {rounds} rounds",
        size(sse),
        sse.len(),
        size(lines),
        lines.len()
    );

    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a tokio runtime");
    let runtime: &'static _ = Box::leak(Box::new(runtime));
    let readers: [Reader; 4] = [
        Box::new(move |each| runtime.block_on(stream_sse(sse, each))),
        Box::new(move |each| hand_sse(sse, each)),
        Box::new(move |each| runtime.block_on(stream_lines(lines, each))),
        Box::new(move |each| hand_lines(lines, each)),
    ];
    let names = ["ItemStream, SSE", "SseDecoder by hand", "ItemStream, JSON lines", "lines by hand"];
    // Every reader must hand out exactly the synthesized items before any of them is timed.
    for (reader, name) in readers.iter().zip(names) {
        assert!(collect(reader) == items, "{name} read other items than were synthesized");
    }

    let expected = Tally::of(&items);
    let mut cases: Vec<_> = readers.iter().map(|read| timed(read, expected)).collect();
    let mut cases: Vec<&mut dyn FnMut() -> Duration> =
        cases.iter_mut().map(|case| case as &mut dyn FnMut() -> Duration).collect();
    let samples = alternate(warmup, rounds, &mut cases);

    let speeds: Vec<f64> = samples.iter().map(|case| count as f64 / median(case).as_secs_f64()).collect();
    for ((name, case), speed) in names.iter().zip(&samples).zip(&speeds) {
        eprintln!("  {name:<24} {speed:>12.0} items/s  (median of {}; per round {})", case.len(), spread(case));
    }
    let per_second = |speed: f64| format!("{} items/s", thousands(speed));
    print_row(
        "streams: typed SSE stream vs SseDecoder + serde_json",
        &per_second(speeds[0]),
        &per_second(speeds[1]),
        speeds[0] / speeds[1],
        "≥ 0.9×",
    );
    print_row(
        "streams: typed JSON lines stream vs lines split by hand",
        &per_second(speeds[2]),
        &per_second(speeds[3]),
        speeds[2] / speeds[3],
        "",
    );
}

/// A whole number with thousands separators.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (n, digit) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
