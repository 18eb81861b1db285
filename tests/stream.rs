//! The streaming runner: input order, ids and corpus findings as the folder runner gives them,
//! the same output for any number of workers, and resuming from a checkpoint.

use zhnorm::{
    DocumentSink, Failure, Options, PageItem, Pipeline, Redirect, SinkError, StreamItem,
    StreamOptions, StreamState, run_stream,
};
use zhnorm_doc::{Document, PageInfo};

/// A sink that keeps what it is given, as canonical JSON, with checkpoints.
#[derive(Default)]
struct Collect {
    documents: Vec<(u64, String)>,
    redirects: Vec<(u64, Redirect)>,
    /// Stop with `Closed` after this many documents (a reader that went away).
    close_after: Option<usize>,
}

impl DocumentSink for Collect {
    fn document(
        &mut self,
        doc: &Document,
        _prepared: Option<zhnorm::Prepared>,
        checkpoint: u64,
    ) -> Result<(), SinkError> {
        if self.close_after == Some(self.documents.len()) {
            return Err(SinkError::Closed);
        }
        self.documents
            .push((checkpoint, zhnorm_doc::to_canonical_json(doc)));
        Ok(())
    }

    fn redirect(&mut self, redirect: &Redirect, checkpoint: u64) -> Result<(), SinkError> {
        self.redirects.push((checkpoint, redirect.clone()));
        Ok(())
    }
}

fn page(title: &str, text: &str, id: u64) -> StreamItem {
    StreamItem::Page(Box::new(PageItem {
        path: "dump.xml".to_owned(),
        text: text.to_owned(),
        title: Some(title.to_owned()),
        format: None,
        info: Some(PageInfo {
            namespace: 0,
            id: Some(id),
            url: Some(format!("https://zh.wikipedia.org/wiki/{title}")),
            ..PageInfo::default()
        }),
        encoding: None,
    }))
}

/// Twelve items: pages (two with one title), a redirect, a skipped page, a failure, an empty page.
fn items() -> Vec<StreamItem> {
    let mut items = Vec::new();
    for i in 0..6 {
        items.push(page(
            &format!("巴库{i}"),
            &format!("'''巴库{i}'''是[[阿塞拜疆]]的城市。\n\n== 历史 ==\n巴库{i}很古老。<ref>{{{{cite web|url=https://example.org/{i}|title=巴库 {i}}}}}</ref>\n\n== 参考 ==\n<references/>\n"),
            i + 1,
        ));
    }
    items.push(StreamItem::Redirect(Redirect {
        title: "阿塞拜疆".to_owned(),
        target: "巴库0".to_owned(),
        namespace: 0,
        page_id: Some(100),
    }));
    items.push(StreamItem::Skipped("namespace".to_owned()));
    items.push(StreamItem::Failed(Failure {
        path: "dump.jsonl:9".to_owned(),
        code: "F004".to_owned(),
        error: "line 9: not JSON".to_owned(),
    }));
    items.push(page("巴库1", "'''巴库'''又是城市。\n", 7));
    items.push(page("空白", "   \n", 8));
    items.push(page("终", "'''终'''。\n", 9));
    items
}

fn run(
    jobs: usize,
    sink: &mut Collect,
    items: Vec<StreamItem>,
    state: Option<StreamState>,
) -> zhnorm::StreamOutcome {
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let state = state.unwrap_or_else(|| StreamState::new(&pipeline));
    run_stream(
        &pipeline,
        items.into_iter().map(Ok),
        sink,
        StreamOptions { jobs, window: 3 },
        state,
    )
    .unwrap()
}

#[test]
fn documents_come_in_input_order_with_unique_ids_and_corpus_findings() {
    let mut sink = Collect::default();
    let outcome = run(2, &mut sink, items(), None);
    let docs: Vec<Document> = sink
        .documents
        .iter()
        .map(|(_, json)| zhnorm_doc::from_canonical_json(json).unwrap())
        .collect();
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "巴库0",
            "巴库1",
            "巴库2",
            "巴库3",
            "巴库4",
            "巴库5",
            "巴库1~2",
            "终"
        ]
    );
    let checkpoints: Vec<u64> = sink.documents.iter().map(|(c, _)| *c).collect();
    assert_eq!(checkpoints, [1, 2, 3, 4, 5, 6, 10, 12]);
    assert_eq!(sink.redirects.len(), 1);
    assert_eq!(sink.redirects[0].0, 7);
    // The dump's title names the document, and its page metadata is kept.
    assert_eq!(docs[0].title, "巴库0");
    assert_eq!(docs[0].source.page.as_ref().unwrap().id, Some(1));
    // The second 巴库1 is the same article: K004 on it, not K001.
    let codes: Vec<&str> = docs[6]
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.contains(&"K004"), "{codes:?}");
    assert!(!codes.contains(&"K001"), "{codes:?}");
    let report = &outcome.report;
    assert_eq!(report.documents, 8);
    assert_eq!(report.redirects, 1);
    assert_eq!(report.skipped.get("namespace"), Some(&1));
    assert_eq!(report.failed, 2, "{:?}", report.failures);
    assert_eq!(report.failures[1].code, "F003");
    assert_eq!(report.failures[1].path, "dump.xml#空白");
    // Links to 阿塞拜疆 resolve through the redirect to 巴库0: 6 of 6.
    assert_eq!(
        report.corpus,
        [
            "6 of 6 wiki links (100.0 %) resolve to a document of the corpus (0 more if script is ignored)"
        ]
    );
    assert!(outcome.input_error.is_none());
}

#[test]
fn one_and_two_workers_give_the_same_output() {
    let mut one = Collect::default();
    let mut two = Collect::default();
    let a = run(1, &mut one, items(), None);
    let b = run(2, &mut two, items(), None);
    assert_eq!(one.documents, two.documents);
    assert_eq!(one.redirects, two.redirects);
    assert_eq!(a.report.corpus, b.report.corpus);
    assert_eq!(a.report.diagnostics, b.report.diagnostics);
}

/// A window of one item lets a worker take one page at a time; the default window lets it take
/// batches, which run each stage over all their pages: the output is the same.
#[test]
fn batches_of_pages_give_what_pages_one_at_a_time_give() {
    let run_with_window = |jobs: usize, window: usize| {
        let pipeline = Pipeline::new(Options::default()).unwrap();
        let mut sink = Collect::default();
        let state = StreamState::new(&pipeline);
        let outcome = run_stream(
            &pipeline,
            items().into_iter().map(Ok),
            &mut sink,
            StreamOptions { jobs, window },
            state,
        )
        .unwrap();
        (
            sink.documents,
            outcome.report.diagnostics,
            outcome.report.failures.len(),
        )
    };
    let one_at_a_time = run_with_window(1, 1);
    assert_eq!(one_at_a_time.0.len(), 8);
    assert_eq!(one_at_a_time.2, 2);
    assert_eq!(run_with_window(1, 0), one_at_a_time);
    assert_eq!(run_with_window(2, 0), one_at_a_time);
}

/// `normalize_pages` gives, page for page, what `normalize_page` gives, failures included.
#[test]
fn a_batch_normalizes_each_page_as_alone() {
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let pages: Vec<PageItem> = items()
        .into_iter()
        .filter_map(|item| match item {
            StreamItem::Page(page) => Some(*page),
            _ => None,
        })
        .collect();
    let inputs: Vec<_> = pages.iter().map(PageItem::input).collect();
    let batch = pipeline.normalize_pages(&inputs);
    assert_eq!(batch.len(), 9);
    for (input, batched) in inputs.iter().zip(&batch) {
        match (pipeline.normalize_page(input), batched) {
            (Ok(alone), Ok(batched)) => assert_eq!(
                zhnorm_doc::to_canonical_json(&alone.document),
                zhnorm_doc::to_canonical_json(&batched.document)
            ),
            (Err(alone), Err(batched)) => assert_eq!(alone.to_string(), batched.to_string()),
            (alone, batched) => panic!("alone {:?}, batched {:?}", alone.is_ok(), batched.is_ok()),
        }
    }
    assert!(batch[7].is_err(), "the empty page fails");
}

#[test]
fn a_resumed_run_gives_what_an_uninterrupted_run_gives() {
    let mut whole = Collect::default();
    let whole_outcome = run(2, &mut whole, items(), None);

    // The first run kept its first five documents (checkpoint 5); the second replays them and
    // goes on from there.
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let mut state = StreamState::new(&pipeline);
    for (_, json) in &whole.documents[..5] {
        state.replay_document(&zhnorm_doc::from_canonical_json(json).unwrap());
    }
    state.checkpoint = 5;
    let mut rest = Collect::default();
    let outcome = run(2, &mut rest, items().split_off(5), Some(state));
    assert_eq!(rest.documents, whole.documents[5..]);
    assert_eq!(rest.redirects, whole.redirects);
    assert_eq!(outcome.report.corpus, whole_outcome.report.corpus);
    assert_eq!(outcome.report.documents, whole_outcome.report.documents);
    assert_eq!(outcome.report.diagnostics, whole_outcome.report.diagnostics);
}

#[test]
fn a_closed_output_stops_the_run_without_an_error() {
    let mut sink = Collect {
        close_after: Some(2),
        ..Collect::default()
    };
    let outcome = run(2, &mut sink, items(), None);
    assert!(outcome.closed);
    assert_eq!(sink.documents.len(), 2);
}

#[test]
fn a_fatal_input_error_keeps_everything_before_it() {
    let pipeline = Pipeline::new(Options::default()).unwrap();
    let mut input: Vec<Result<StreamItem, String>> = items().into_iter().take(4).map(Ok).collect();
    input.push(Err(
        "dump.xml.bz2: bz2 stream truncated at byte 812 (last good page: id 4 «巴库3»)".to_owned(),
    ));
    input.push(Ok(page("不应", "'''不应'''。\n", 99)));
    let mut sink = Collect::default();
    let outcome = run_stream(
        &pipeline,
        input.into_iter(),
        &mut sink,
        StreamOptions { jobs: 2, window: 2 },
        StreamState::new(&pipeline),
    )
    .unwrap();
    assert_eq!(sink.documents.len(), 4);
    assert!(
        outcome
            .input_error
            .as_deref()
            .unwrap()
            .contains("last good page: id 4")
    );
    assert_eq!(outcome.report.failed, 1);
    assert_eq!(outcome.report.failures[0].path, "dump.xml.bz2");
}

#[test]
fn a_page_is_read_with_its_title_and_revision_time() {
    let pipeline = Pipeline::new(Options::default()).expect("pipeline");
    let mut item = PageItem {
        path: "dump.xml".to_owned(),
        text: "'''首都'''是{{PAGENAME}}，{{CURRENTYEAR}}年。\n".to_owned(),
        title: Some("北京市".to_owned()),
        format: Some(zhnorm_doc::Format::Wikitext),
        info: Some(PageInfo {
            timestamp: Some("2024-05-06T07:08:09Z".to_owned()),
            ..PageInfo::default()
        }),
        encoding: None,
    };
    let document = pipeline
        .normalize_page(&item.input())
        .expect("normalized")
        .document;
    let text = zhnorm_doc::article_text(&document);
    assert!(text.contains("首都是北京市，2024年。"), "{text}");
    item.info = None;
    let document = pipeline
        .normalize_page(&item.input())
        .expect("normalized")
        .document;
    assert!(
        document.diagnostics.iter().any(|d| d.code == "M016"),
        "no timestamp, no year: {:?}",
        document.diagnostics
    );
}
