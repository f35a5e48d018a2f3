//! Randomized checks of the server-sent events decoder, with fixed seeds: any cutting of the
//! input into chunks gives the events of a plain reading of the whole input (a small second
//! implementation of the standard's rules, written for clarity), and no input panics.

use std::time::Duration;

use client_runtime::sse::{SseDecoder, SseEvent};

/// Pieces that random streams are made of: fields, line ends, comments, a BOM, multi-byte and
/// broken UTF-8, NUL.
const PIECES: &[&[u8]] = &[
    b"data",
    b"data:",
    b"data: ",
    b"event:",
    b"event: ",
    b"id:",
    b"id: ",
    b"retry:",
    b"retry: ",
    b":",
    b": comment",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b" ",
    b"x",
    b"42",
    b"7",
    b"\0",
    b"\xEF\xBB\xBF",
    "é€😀".as_bytes(),
    b"\xFF",
    b"\xE2\x82",
    b"other",
];

/// What decoding a whole stream gives: the events, the last event id and the retry.
type Outcome = (Vec<SseEvent>, Option<String>, Option<Duration>);

fn decode_in_chunks(input: &[u8], cuts: &[usize]) -> Outcome {
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain([input.len()].iter()) {
        decoder.feed(&input[start..end]);
        start = end;
        while let Some(event) = decoder.next_event() {
            events.push(event);
        }
    }
    decoder.finish();
    (events, decoder.last_event_id().map(str::to_string), decoder.retry())
}

/// The standard's algorithm, step by step, on the whole input at once.
fn reference(input: &[u8]) -> Outcome {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = String::from_utf8_lossy(input);
    let (mut events, mut data, mut kind, mut id_buffer, mut last_id) =
        (Vec::new(), String::new(), String::new(), String::new(), String::new());
    let (mut retry, mut event_retry) = (None, None);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut line));
            }
            _ => line.push(c),
        }
    }
    for line in lines {
        if line.is_empty() {
            last_id = id_buffer.clone();
            let this_retry = event_retry.take();
            if data.is_empty() {
                kind.clear();
                continue;
            }
            data.pop();
            events.push(SseEvent {
                event: Some(std::mem::take(&mut kind)).filter(|kind| !kind.is_empty()),
                data: std::mem::take(&mut data),
                id: Some(last_id.clone()).filter(|id| !id.is_empty()),
                retry: this_retry,
            });
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_str(), ""),
        };
        match name {
            "data" => data.push_str(&format!("{value}\n")),
            "event" => kind = value.to_string(),
            "id" if !value.contains('\0') => id_buffer = value.to_string(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse() {
                    event_retry = Some(Duration::from_millis(millis));
                    retry = event_retry;
                }
            }
            _ => {}
        }
    }
    (events, Some(last_id).filter(|id| !id.is_empty()), retry)
}

fn random_stream(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut input = Vec::new();
    for _ in 0..rng.usize(0..80) {
        input.extend_from_slice(PIECES[rng.usize(..PIECES.len())]);
    }
    input
}

fn random_cuts(rng: &mut fastrand::Rng, len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..rng.usize(0..=len.min(12))).map(|_| rng.usize(0..=len)).collect();
    cuts.sort_unstable();
    cuts
}

#[test]
fn any_chunking_gives_the_events_of_the_whole_stream() {
    let mut rng = fastrand::Rng::with_seed(0x55e_2024);
    for round in 0..5_000 {
        let input = random_stream(&mut rng);
        let whole = decode_in_chunks(&input, &[]);
        assert_eq!(whole, reference(&input), "round {round}: {:?}", String::from_utf8_lossy(&input));
        let cuts = random_cuts(&mut rng, input.len());
        assert_eq!(decode_in_chunks(&input, &cuts), whole, "round {round}, cuts {cuts:?}");
        let bytes: Vec<usize> = (1..input.len()).collect();
        assert_eq!(decode_in_chunks(&input, &bytes), whole, "round {round}, byte by byte");
    }
}

#[test]
fn random_bytes_never_panic_and_agree_with_the_reference() {
    let mut rng = fastrand::Rng::with_seed(7);
    // Bytes that matter to the decoder come up often; the rest at random.
    let interesting = b"\r\n: \0\xEF\xBB\xBF\xFF\xC3dataeventidretry";
    for round in 0..5_000 {
        let len = rng.usize(0..200);
        let input: Vec<u8> = (0..len)
            .map(|_| if rng.bool() { interesting[rng.usize(..interesting.len())] } else { rng.u8(..) })
            .collect();
        let cuts = random_cuts(&mut rng, input.len());
        let chunked = decode_in_chunks(&input, &cuts);
        assert_eq!(chunked, reference(&input), "round {round}: {input:?}");
    }
}
