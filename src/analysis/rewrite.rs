//! The `Rewrite` token filter: replaces each token's text by what a function writes, in a
//! reused buffer (normalisation, stemming, names' transliteration keys).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Rewrites each token's text: the function writes the new text into a reused buffer and
/// returns true, or returns false to leave the token as it is. Offsets are never moved.
#[derive(Clone, Copy)]
pub struct Rewrite<F>(pub F);

impl<F: Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> TokenFilter for Rewrite<F> {
    type Tokenizer<T: Tokenizer> = RewriteWrapper<T, F>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RewriteWrapper<T, F> {
        RewriteWrapper {
            rewrite: self.0,
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// [`Rewrite`] applied to a tokenizer.
#[derive(Clone)]
pub struct RewriteWrapper<T, F> {
    rewrite: F,
    inner: T,
    buffer: String,
}

impl<T: Tokenizer, F: Fn(&str, &mut String) -> bool + Clone + Send + Sync + 'static> Tokenizer
    for RewriteWrapper<T, F>
{
    type TokenStream<'a> = RewriteStream<'a, T::TokenStream<'a>, F>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewriteStream {
            rewrite: &self.rewrite,
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// Token stream of [`RewriteWrapper`].
pub struct RewriteStream<'a, T, F> {
    rewrite: &'a F,
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream, F: Fn(&str, &mut String) -> bool> TokenStream for RewriteStream<'_, T, F> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        let token = self.tail.token_mut();
        if (self.rewrite)(&token.text, self.buffer) {
            // The old text becomes the next token's scratch space.
            std::mem::swap(&mut token.text, self.buffer);
        }
        true
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
    use crate::analysis::{terms, TextAnalyzer, WordTokenizer};

    #[test]
    fn rewritten_tokens_keep_the_printed_words_offsets() {
        // Drops a final "s"; "Iran" is left as it is (the function returns false).
        let singular = |word: &str, out: &mut String| match word.strip_suffix('s') {
            Some(stem) => {
                out.push_str(stem);
                true
            }
            None => false,
        };
        let mut a = TextAnalyzer::builder(WordTokenizer::default())
            .filter(Rewrite(singular))
            .build();
        let text = "Iran sanctions talks";
        let got = terms(&mut a, text);
        assert_eq!(
            got,
            [
                ("Iran".to_string(), 0..4),
                ("sanction".to_string(), 5..14),
                ("talk".to_string(), 15..20)
            ]
        );
    }
}
