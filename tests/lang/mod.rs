//! Articles in many languages (`tests/lang/articles/`: the same story in ten languages,
//! written for these tests, each detected from its text): each is analysed in its own
//! language, and found from queries in its own script and spelling.

use std::collections::BTreeSet;

use crate::util::TestIndex;

/// The ten articles, indexed once per test binary (tests that only read).
fn languages() -> &'static TestIndex {
    crate::util::shared_languages()
}

/// Every article a query matches: copies are not collapsed (the Simplified and Traditional
/// Chinese articles are one text in two scripts, so copies of each other).
fn ids(idx: &TestIndex, query: &str, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["--no-collapse"];
    args.extend_from_slice(extra);
    idx.search(query, &args).hit_ids().into_iter().collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// (article, how it matched) for each hit, each passage's `matched_as`.
fn hows(idx: &TestIndex, query: &str) -> Vec<(String, String, String)> {
    let run = idx.search(query, &["--limit", "20", "--no-collapse"]);
    let mut out = Vec::new();
    for r in run.records().iter().filter(|r| r["type"] == "hit") {
        for p in r["passages"].as_array().unwrap() {
            for m in p["matched_as"].as_array().unwrap() {
                out.push((
                    r["id"].as_str().unwrap().to_string(),
                    m["form"].as_str().unwrap().to_string(),
                    m["how"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn each_article_gets_its_language_from_its_text() {
    let idx = languages();
    let run = idx.run(&["articles", "--json"]);
    let got: Vec<(String, String, String)> = run
        .records()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["lang"].as_str().unwrap().to_string(),
                r["lang_source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("ar", "ar"),
        ("de", "de"),
        ("en", "en"),
        ("es", "es"),
        ("fa", "fa"),
        ("ja", "ja"),
        ("ru", "ru"),
        ("tr", "tr"),
        ("zh-hans", "zh"),
        ("zh-hant", "zh"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(id, lang)| (id.to_string(), lang.to_string(), "text".to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_query_in_each_language_finds_its_article_by_its_own_stemming() {
    let idx = languages();
    // Forms the articles do not print, found through each language's stemmer (or script
    // rules), and only there.
    for (query, article, form) in [
        ("reuniones", "es", "reunión"),
        ("Gespräch", "de", "Gespräche"),
        ("санкциями", "ru", "санкции"),
        ("görüşmeler", "tr", "görüşme"),
        ("yaptırımları", "tr", "yaptırımlar"),
    ] {
        assert_eq!(
            hows(idx, query),
            [(article.to_string(), form.to_string(), "stem".to_string())],
            "{query}"
        );
    }
    for (query, article) in [
        ("العقوبات", "ar"),
        ("تحریم‌ها", "fa"),
        ("イラン側の関係者", "ja"),
    ] {
        assert_eq!(ids(idx, query, &[]), set(&[article]), "{query}");
    }
    // Chinese in either script finds both Chinese articles (see below).
    assert_eq!(ids(idx, "会谈持续", &[]), set(&["zh-hans", "zh-hant"]));
}

#[test]
fn one_text_in_simplified_and_traditional_chinese_is_one_story() {
    let idx = languages();
    let run = idx.search("会谈持续", &[]);
    let hits: Vec<_> = run
        .records()
        .into_iter()
        .filter(|r| r["type"] == "hit")
        .collect();
    assert_eq!(hits.len(), 1);
    let (shown, copy) = (hits[0]["id"].as_str().unwrap(), &hits[0]["also_in"][0]);
    let mut both = [shown, copy["id"].as_str().unwrap()];
    both.sort();
    assert_eq!(both, ["zh-hans", "zh-hant"]);
    assert_eq!(hits[0]["copies"], 1);
    let summary = run.records().pop().unwrap();
    assert_eq!(
        (&summary["articles"], &summary["stories"]),
        (&2.into(), &1.into())
    );
}

#[test]
fn simplified_chinese_finds_traditional_and_kanji() {
    let idx = languages();
    // 马斯克 (Simplified) is printed 馬斯克 in the Traditional article; either finds both, and
    // (as a name in another script) the Latin articles that print Musk.
    for q in ["马斯克", "馬斯克"] {
        assert_eq!(
            ids(idx, q, &["--no-scripts"]),
            set(&["zh-hans", "zh-hant"]),
            "{q}"
        );
        assert_eq!(
            ids(idx, q, &[]),
            set(&["de", "en", "es", "tr", "zh-hans", "zh-hant"]),
            "{q}"
        );
    }
    // 会谈 / 會談 / 会談 (Japanese) are one word; one character alone finds it too.
    for q in ["会谈", "會談", "会談", "谈"] {
        assert_eq!(ids(idx, q, &[]), set(&["ja", "zh-hans", "zh-hant"]), "{q}");
    }
    // Highlights cut the printed form, whatever the script.
    let run = idx.search("会谈", &["--lang", "zh", "--no-collapse"]);
    let marked: BTreeSet<String> = run
        .records()
        .iter()
        .filter(|r| r["type"] == "hit")
        .flat_map(|r| r["passages"].as_array().unwrap().clone())
        .flat_map(|p| {
            let text = p["text"].as_str().unwrap().to_string();
            p["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize]
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(marked, set(&["会谈", "會談"]));
}

#[test]
fn arabic_and_persian_letter_forms_match() {
    let idx = languages();
    // The Arabic article prints إيرواني (Arabic ي), the Persian one ایروانی (Persian ی).
    // Either finds both, and the Latin articles that print Iravani (cross-script keys).
    for q in ["إيرواني", "ایروانی", "ايرواني"] {
        assert_eq!(ids(idx, q, &["--no-scripts"]), set(&["ar", "fa"]), "{q}");
        assert_eq!(
            ids(idx, q, &[]),
            set(&["ar", "de", "en", "es", "fa", "tr"]),
            "{q}"
        );
    }
    // Folded to one form, the two spellings match equally; the letters of the query say its
    // language, which ranks first.
    assert_eq!(
        idx.search("إيرواني", &["--no-scripts"]).hit_ids(),
        ["ar", "fa"]
    );
    assert_eq!(
        idx.search("ایروانی", &["--no-scripts"]).hit_ids(),
        ["fa", "ar"]
    );
    // The highlight cuts the Persian spelling out of the Persian text, at its byte offsets.
    let run = idx.search("إيرواني", &["--lang", "fa"]);
    let p = &run.records()[0]["passages"][0];
    let text = p["text"].as_str().unwrap();
    let h = &p["highlights"][0];
    let cut = &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize];
    assert_eq!(cut, "ایروانی");
    // The Arabic article prints وكان with Arabic ك; the query has Persian ک.
    assert_eq!(ids(idx, "وکان", &[]), set(&["ar"]));
    // Harakat and tatweel in the query change nothing.
    assert_eq!(ids(idx, "العُقُوبـــات", &[]), set(&["ar"]));
}

#[test]
fn hyphenated_words_are_found_by_their_parts_and_whole() {
    let idx = languages();
    assert_eq!(ids(idx, "Treffen", &[]), set(&["de"]));
    assert_eq!(ids(idx, "Musktreffen", &[]), set(&["de"]));
    assert_eq!(ids(idx, "\"Musk-Treffen\"", &[]), set(&["de"]));
    let run = idx.search("Treffen", &[]);
    let p = &run.records()[0]["passages"][0];
    let text = p["text"].as_str().unwrap();
    let h = &p["highlights"][0];
    let cut = &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize];
    assert_eq!(cut, "Treffen");
}

#[test]
fn a_person_named_in_another_script_is_the_latin_person() {
    let run = languages().run(&["entities", "--kind", "person", "--json"]);
    let first = run.records().into_iter().next().unwrap();
    assert_eq!(first["name"], "Amir Saeid Iravani");
    // en, es, ru, and de, where he follows the title "UN-Botschafter".
    assert_eq!(first["articles"], 4);
    let forms: Vec<&str> = first["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    // The name starts at the given name (Амиром): "ООН" before it is not part of it.
    assert!(forms.contains(&"Амиром Саидом Иравани"), "{forms:?}");
    // An entity filter in Latin letters finds the article that names him in Cyrillic.
    assert_eq!(
        ids(languages(), "*", &["--entity", "person:Iravani"]),
        set(&["de", "en", "es", "ru", "tr"])
    );
}

#[test]
fn a_known_name_typed_in_one_script_finds_its_spellings_in_the_others() {
    let records = |with_latin: bool| {
        let mut lines = vec![
            r#"{"id":"ru","language":"ru","text":"Алексей Навальный умер в колонии, сообщили власти."}"#,
            r#"{"id":"ar","language":"ar","text":"أعلنت السلطات وفاة المعارض نافالني في السجن."}"#,
        ];
        if with_latin {
            lines.push(r#"{"id":"en","language":"en","text":"Alexei Navalny died in an Arctic prison, officials said."}"#);
        }
        lines.join("\n")
    };
    let dir = crate::util::folder(&[("a.jsonl", records(true).as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    // The Latin form is in the index, so Навальный is a known name: its Latin form and its
    // Arabic spelling are found.
    assert_eq!(ids(&idx, "Навальный", &[]), set(&["ar", "en", "ru"]));
    assert_eq!(ids(&idx, "Навальный", &["--no-scripts"]), set(&["ru"]));
    // Without a Latin form nothing says the word is a name: other scripts are not searched.
    let dir = crate::util::folder(&[("a.jsonl", records(false).as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    assert_eq!(ids(&idx, "Навальный", &[]), set(&["ru"]));
}

#[test]
fn a_word_is_as_rare_as_it_is_in_the_whole_corpus_not_in_one_languages_slice() {
    // "Musk" is in every article: in three English ones (twice in en2) and one Polish one.
    // Counted per language it would look rare in Polish and put the Polish article first.
    let records = [
        r#"{"id":"en1","language":"en","text":"Officials said Musk met the envoy in New York on Monday."}"#,
        r#"{"id":"en2","language":"en","text":"Musk met the envoy; Musk later denied that the talks were secret."}"#,
        r#"{"id":"en3","language":"en","text":"The envoy and Musk discussed tensions, officials said on Tuesday."}"#,
        r#"{"id":"pl1","language":"pl","text":"Ambasador spotkał się z Muskiem? Musk nie skomentował tych doniesień."}"#,
    ];
    let dir = crate::util::folder(&[("a.jsonl", records.join("\n").as_bytes())]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    let ids = idx.search("Musk", &[]).hit_ids();
    assert_eq!(ids.first().map(String::as_str), Some("en2"), "{ids:?}");
    assert_eq!(ids.len(), 4);
}

#[test]
fn a_hyphenated_query_word_finds_its_parts_printed_apart_after_the_compound() {
    let dir = crate::util::folder(&[
        (
            "apart.txt",
            "Nach dem Treffen mit dem Unternehmer sprach Musk über Raketen und Satelliten."
                .as_bytes(),
        ),
        (
            "whole.txt",
            "Das Musk-Treffen in New York dauerte eine Stunde, sagten Diplomaten.".as_bytes(),
        ),
        (
            "neither.txt",
            "Die Sitzung des Sicherheitsrates dauerte bis in die Nacht.".as_bytes(),
        ),
    ]);
    let idx = TestIndex::of(&[dir.path().to_path_buf()]);
    assert_eq!(
        idx.search("Musk-Treffen", &[]).hit_ids(),
        ["whole", "apart"]
    );
    // Quoted, it is the compound only.
    assert_eq!(idx.search("\"Musk-Treffen\"", &[]).hit_ids(), ["whole"]);
}

#[test]
fn german_text_is_stemmed_as_german_never_as_english() {
    let idx = languages();
    // English stemming leaves "Spannungen" and "Sanktionen" whole; German stemming makes
    // them "spannung" and "sanktion", which the singular queries find.
    assert_eq!(
        hows(idx, "Spannung"),
        [(
            "de".to_string(),
            "Spannungen".to_string(),
            "stem".to_string()
        )]
    );
    assert_eq!(ids(idx, "Sanktion", &[]), set(&["de"]));
    // Queried as English only, the German stem is not there to be found.
    assert!(ids(idx, "Sanktion", &["--lang", "en"]).is_empty());
}

#[test]
fn a_latin_name_finds_every_article_that_prints_it() {
    let idx = languages();
    // In Latin letters in four articles, and in six other scripts in the other six.
    assert_eq!(
        ids(idx, "Iravani", &["--no-scripts"]),
        set(&["de", "en", "es", "tr"])
    );
    assert_eq!(
        ids(idx, "Iravani", &[]),
        set(&["ar", "de", "en", "es", "fa", "ja", "ru", "tr", "zh-hans", "zh-hant"])
    );
    let forms: BTreeSet<(String, String, String)> = hows(idx, "Iravani").into_iter().collect();
    for (article, form) in [
        ("ru", "Иравани"),
        ("zh-hans", "伊拉瓦尼"),
        ("ja", "イラバニ"),
        ("fa", "ایروانی"),
        ("ar", "إيرواني"),
    ] {
        assert!(
            forms.contains(&(article.to_string(), form.to_string(), "script".to_string())),
            "{article} {form}: {forms:?}"
        );
    }
    assert_eq!(
        ids(idx, "Iravani", &["--exact"]),
        set(&["de", "en", "es", "tr"])
    );
    // lang filters: --lang and lang: in the query, by code or name.
    assert_eq!(ids(idx, "Iravani", &["--lang", "de"]), set(&["de"]));
    assert_eq!(
        ids(idx, "Iravani", &["--lang", "Turkish", "--lang", "es"]),
        set(&["es", "tr"])
    );
    assert_eq!(ids(idx, "lang:de Iravani", &[]), set(&["de"]));
    let bad = idx.search("Iravani", &["--lang", "klingon"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("\"klingon\" is not a language byline knows"),
        "{}",
        bad.stderr
    );
}

#[test]
fn facets_count_articles_by_language() {
    let idx = languages();
    let run = idx.search(
        "Musk OR 马斯克 OR ماسک OR ماسك OR Маск OR マスク",
        &["--facets", "lang"],
    );
    let summary = run.records().last().cloned().unwrap();
    let counts = crate::util::facet_values(&summary, "lang");
    let want: Vec<(String, u64)> = [
        ("zh", 2),
        ("ar", 1),
        ("de", 1),
        ("en", 1),
        ("es", 1),
        ("fa", 1),
        ("ja", 1),
        ("ru", 1),
        ("tr", 1),
    ]
    .iter()
    .map(|(l, n)| (l.to_string(), *n))
    .collect();
    assert_eq!(counts, want);
}

#[test]
fn a_language_from_the_metadata_wins_and_a_bad_one_is_detected_with_a_warning() {
    let dir = crate::util::folder(&[(
        "a.jsonl",
        "{\"id\":\"a\",\"text\":\"Ein kurzer Text.\",\"lang\":\"German\"}\n\
         {\"id\":\"b\",\"text\":\"Die Regierung hat heute neue Sanktionen gegen das Land beschlossen.\",\"lang\":\"klingon\"}\n"
            .as_bytes(),
    )]);
    let t = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = t.index(&[dir.path().to_path_buf()]);
    // Exit 0: both indexed; the unreadable value is a warning, its field detected instead.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "a.jsonl:2: lang \"klingon\" is not a language byline knows; language detected from the text"
        ),
        "{}",
        run.stderr
    );
    let lang_of = |id: &str| {
        let shown = t.run(&["show", id, "--json"]);
        let article = &shown.records()[0];
        (
            article["lang"].as_str().unwrap_or("").to_string(),
            article["lang_source"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(lang_of("a"), ("de".into(), "metadata".into()));
    assert_eq!(lang_of("b"), ("de".into(), "text".into()));
}

#[test]
fn index_lang_sets_the_language_of_every_article_without_one() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang/articles");
    let t = TestIndex {
        dir: tempfile::tempdir().unwrap(),
    };
    let run = t.run(&["index", "--lang", "en", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let langs: BTreeSet<String> = t
        .run(&["articles", "--json"])
        .records()
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["lang"].as_str().unwrap(),
                r["lang_source"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(langs, set(&["en/metadata"]));
    // Analysed as English, the German plural is not the singular's stem any more. (--exact:
    // capitalised German nouns also look like names, whose spelling variants would match.)
    assert!(ids(&t, "Spannung", &["--exact"]).is_empty());
    assert_eq!(ids(languages(), "Spannung", &["--exact"]), set(&["de"]));
    assert_eq!(ids(&t, "Spannungen", &[]), set(&["de"]));
}
