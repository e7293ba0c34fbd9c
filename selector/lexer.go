package selector

// tokenKind classifies a token of a selector string.
type tokenKind int

const (
	tokError      tokenKind = iota // a symbol sequence that is no token
	tokEnd                         // the end of the input
	tokCloseParen                  // )
	tokComma                       // ,
	tokBang                        // !
	tokDoubleEq                    // ==
	tokEq                          // =
	tokGreater                     // >
	tokIdent                       // a key or a value
	tokIn                          // in
	tokLess                        // <
	tokNotEq                       // !=
	tokNotIn                       // notin
	tokOpenParen                   // (
)

// token is a token and its text.
type token struct {
	kind tokenKind
	text string
}

// lexer splits a selector string into tokens. It works on bytes, as
// upstream's Lexer does: whitespace is ' ', '\t', '\r' and '\n', the
// symbols are = ! ( ) , > <, and everything else makes up words. A NUL
// byte reads like the end of the input: met between tokens it ends the
// input; met inside a token it ends that token and is skipped.
type lexer struct {
	s   string
	pos int
}

// next returns the byte at the read position and moves past it, or 0 at
// the end of the input (without moving).
func (l *lexer) next() byte {
	if l.pos >= len(l.s) {
		return 0
	}
	c := l.s[l.pos]
	l.pos++
	return c
}

// back undoes the last next that returned a byte other than the end.
func (l *lexer) back() { l.pos-- }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isSymbol(c byte) bool {
	switch c {
	case '=', '!', '(', ')', ',', '>', '<':
		return true
	}
	return false
}

// symbolKind returns the kind of the symbol token s, or tokError.
func symbolKind(s string) tokenKind {
	switch s {
	case ")":
		return tokCloseParen
	case ",":
		return tokComma
	case "!":
		return tokBang
	case "==":
		return tokDoubleEq
	case "=":
		return tokEq
	case ">":
		return tokGreater
	case "<":
		return tokLess
	case "!=":
		return tokNotEq
	case "(":
		return tokOpenParen
	}
	return tokError
}

// lex returns the next token.
func (l *lexer) lex() token {
	c := l.next()
	for isSpace(c) {
		c = l.next()
	}
	switch {
	case c == 0:
		return token{kind: tokEnd}
	case isSymbol(c):
		l.back()
		return l.symbol()
	default:
		l.back()
		return l.word()
	}
}

// symbol reads the longest run of symbol bytes that is a token (at most
// "!=" or "==").
func (l *lexer) symbol() token {
	start := l.pos
	var last token
	for {
		c := l.next()
		if c == 0 {
			break
		}
		if !isSymbol(c) {
			l.back()
			break
		}
		text := l.s[start:l.pos]
		if k := symbolKind(text); k != tokError {
			last = token{kind: k, text: text}
		} else if last.kind != tokError {
			l.back()
			break
		}
	}
	if last.kind == tokError {
		return token{kind: tokError, text: "error expected: keyword found '" + l.s[start:l.pos] + "'"}
	}
	return last
}

// word reads a key, a value or one of the keywords "in" and "notin".
func (l *lexer) word() token {
	start := l.pos
	var text string
	for {
		end := l.pos
		c := l.next()
		if c == 0 {
			text = l.s[start:end]
			break
		}
		if isSymbol(c) || isSpace(c) {
			l.back()
			text = l.s[start:l.pos]
			break
		}
	}
	switch text {
	case "in":
		return token{kind: tokIn, text: text}
	case "notin":
		return token{kind: tokNotIn, text: text}
	}
	return token{kind: tokIdent, text: text}
}
