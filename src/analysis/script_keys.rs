//! The `ScriptKeys` token filter: replaces each printed word by its cross-script name keys
//! ([`super::script::index_keys`]): none, one, or two at the word's position and offsets.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::script;

/// Replaces each token by its cross-script name keys. Reads the token as printed (capitals
/// decide what is a name), so it comes right after the tokenizer.
#[derive(Clone, Copy)]
pub struct ScriptKeys;

impl TokenFilter for ScriptKeys {
    type Tokenizer<T: Tokenizer> = ScriptKeysWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ScriptKeysWrapper<T> {
        ScriptKeysWrapper { inner: tokenizer }
    }
}

/// [`ScriptKeys`] applied to a tokenizer.
#[derive(Clone)]
pub struct ScriptKeysWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ScriptKeysWrapper<T> {
    type TokenStream<'a> = ScriptKeysStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ScriptKeysStream {
            tail: self.inner.token_stream(text),
            keys: Vec::new(),
            token: Token::default(),
        }
    }
}

/// Token stream of [`ScriptKeysWrapper`].
pub struct ScriptKeysStream<T> {
    tail: T,
    /// Keys of the current word still to emit, last first.
    keys: Vec<String>,
    token: Token,
}

impl<T: TokenStream> TokenStream for ScriptKeysStream<T> {
    fn advance(&mut self) -> bool {
        while self.keys.is_empty() {
            if !self.tail.advance() {
                return false;
            }
            let word = self.tail.token();
            script::index_keys(&word.text, &mut self.keys);
            self.keys.reverse();
            self.token.offset_from = word.offset_from;
            self.token.offset_to = word.offset_to;
            self.token.position = word.position;
            self.token.position_length = word.position_length;
        }
        if let Some(key) = self.keys.pop() {
            self.token.text = key;
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{name_scripts, terms};

    #[test]
    fn names_of_every_script_become_keys_at_their_offsets() {
        let mut a = name_scripts();
        let text = "Navalny: Навальный умер. 纳瓦尔尼说 وترامب";
        let got = terms(&mut a, text);
        let start = |w: &str| text.find(w).unwrap();
        assert_eq!(
            got,
            [
                ("lnbln".to_string(), 0..7),
                ("mnbrn".to_string(), 0..7),
                ("xnbln".to_string(), start("Навальный")..start(" умер")),
                ("cnbrn".to_string(), start("纳")..start("说")),
                ("xbtrnb".to_string(), start("وترامب")..text.len()),
                ("ytrnb".to_string(), start("وترامب")..text.len()),
            ]
        );
    }
}
