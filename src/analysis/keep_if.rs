//! The `KeepIf` token filter: drops the tokens a predicate rejects (names keep capitalised,
//! uncommon words; every chain drops what normalisation emptied).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Keeps the tokens a predicate accepts. Offsets and positions are never changed.
#[derive(Clone, Copy)]
pub struct KeepIf(pub fn(&Token) -> bool);

impl TokenFilter for KeepIf {
    type Tokenizer<T: Tokenizer> = KeepIfWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> KeepIfWrapper<T> {
        KeepIfWrapper {
            keep: self.0,
            inner: tokenizer,
        }
    }
}

/// [`KeepIf`] applied to a tokenizer.
#[derive(Clone)]
pub struct KeepIfWrapper<T> {
    keep: fn(&Token) -> bool,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for KeepIfWrapper<T> {
    type TokenStream<'a> = KeepIfStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        KeepIfStream {
            keep: self.keep,
            tail: self.inner.token_stream(text),
        }
    }
}

/// Token stream of [`KeepIfWrapper`].
pub struct KeepIfStream<T> {
    keep: fn(&Token) -> bool,
    tail: T,
}

impl<T: TokenStream> TokenStream for KeepIfStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if (self.keep)(self.tail.token()) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{TextAnalyzer, WordTokenizer};

    #[test]
    fn rejected_tokens_go_and_the_rest_keep_their_offsets_and_positions() {
        let text = "the U.N. envoy met Musk";
        let mut a = TextAnalyzer::builder(WordTokenizer::default())
            .filter(KeepIf(|t: &Token| t.text.len() > 3))
            .build();
        let mut got = Vec::new();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            got.push((
                t.text.clone(),
                &text[t.offset_from..t.offset_to],
                t.position,
            ));
        }
        assert_eq!(
            got,
            [("envoy".into(), "envoy", 2), ("Musk".into(), "Musk", 4)]
        );
    }
}
