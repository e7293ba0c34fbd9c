package selector

import (
	"fmt"
	"slices"
	"strings"

	"github.com/daemonsim/daemonsim/field"
)

// context tells the parser how to read the keywords "in" and "notin":
// as operators after a key, or as plain words where a key or a value is
// expected (so "in in (in)" is a valid selector).
type context int

const (
	ctxOperator context = iota
	ctxValue
)

// parser is a recursive-descent parser over the tokens of a selector
// string, which it reads in full before parsing, as upstream's Parser does.
type parser struct {
	toks []token
	pos  int
}

func newParser(s string) *parser {
	l := lexer{s: s}
	p := &parser{}
	for {
		t := l.lex()
		p.toks = append(p.toks, t)
		if t.kind == tokEnd {
			return p
		}
	}
}

// peek returns the current token without consuming it.
func (p *parser) peek(ctx context) token {
	t := p.toks[min(p.pos, len(p.toks)-1)]
	if ctx == ctxValue && (t.kind == tokIn || t.kind == tokNotIn) {
		t.kind = tokIdent
	}
	return t
}

// take returns the current token and consumes it. The end token is never
// consumed.
func (p *parser) take(ctx context) token {
	t := p.peek(ctx)
	if t.kind != tokEnd {
		p.pos++
	}
	return t
}

// parse reads the whole selector: requirements separated by commas.
func (p *parser) parse() ([]Requirement, error) {
	var reqs []Requirement
	for {
		switch t := p.peek(ctxValue); t.kind {
		case tokEnd:
			return reqs, nil
		case tokIdent, tokBang:
			r, err := p.requirement()
			if err != nil {
				return nil, fmt.Errorf("unable to parse requirement: %w", err)
			}
			reqs = append(reqs, r)
			switch t := p.take(ctxValue); t.kind {
			case tokEnd:
				return reqs, nil
			case tokComma:
				if t := p.peek(ctxValue); t.kind != tokIdent && t.kind != tokBang {
					return nil, fmt.Errorf("found '%s', expected: identifier after ','", t.text)
				}
			default:
				return nil, fmt.Errorf("found '%s', expected: ',' or 'end of string'", t.text)
			}
		default:
			return nil, fmt.Errorf("found '%s', expected: !, identifier, or 'end of string'", t.text)
		}
	}
}

// requirement reads [!] KEY [ OPERATOR VALUES ].
func (p *parser) requirement() (Requirement, error) {
	key, op, err := p.keyAndImpliedOperator()
	if err != nil {
		return Requirement{}, err
	}
	if op == Exists || op == DoesNotExist {
		return NewRequirement(key, op, []string{})
	}
	if op, err = p.operator(); err != nil {
		return Requirement{}, err
	}
	var values []string
	switch op {
	case In, NotIn:
		values, err = p.valueSet()
	default:
		values, err = p.exactValue()
	}
	if err != nil {
		return Requirement{}, err
	}
	return NewRequirement(key, op, values)
}

// keyAndImpliedOperator reads an optional '!' and a key. The operator is
// DoesNotExist after '!', Exists when the key ends the requirement, and
// otherwise "" (an operator follows).
func (p *parser) keyAndImpliedOperator() (string, Operator, error) {
	var op Operator
	t := p.take(ctxValue)
	if t.kind == tokBang {
		op = DoesNotExist
		t = p.take(ctxValue)
	}
	if t.kind != tokIdent {
		return "", "", fmt.Errorf("found '%s', expected: identifier", t.text)
	}
	if msgs := IsQualifiedName(t.text); len(msgs) > 0 {
		// Upstream reports the key at a nil field path, printed "<nil>".
		return "", "", field.Invalid(nil, t.text, strings.Join(msgs, "; "))
	}
	if next := p.peek(ctxValue); (next.kind == tokEnd || next.kind == tokComma) && op != DoesNotExist {
		op = Exists
	}
	return t.text, op, nil
}

// operator reads a binary operator.
func (p *parser) operator() (Operator, error) {
	t := p.take(ctxOperator)
	switch t.kind {
	case tokIn:
		return In, nil
	case tokNotIn:
		return NotIn, nil
	case tokEq:
		return Equals, nil
	case tokDoubleEq:
		return DoubleEquals, nil
	case tokNotEq:
		return NotEquals, nil
	case tokGreater:
		return GreaterThan, nil
	case tokLess:
		return LessThan, nil
	}
	return "", fmt.Errorf("found '%s', expected: %s", t.text, strings.Join(binaryOperators, ", "))
}

// valueSet reads "(" [values] ")" and returns the set of values, sorted.
// Empty entries stand for the empty value: "()", "(,)" and "(x,)" all hold
// "".
func (p *parser) valueSet() ([]string, error) {
	if t := p.take(ctxValue); t.kind != tokOpenParen {
		return nil, fmt.Errorf("found '%s' expected: '('", t.text)
	}
	switch t := p.peek(ctxValue); t.kind {
	case tokCloseParen:
		p.take(ctxValue)
		return []string{""}, nil
	case tokIdent, tokComma:
		values, err := p.valueList()
		if err != nil {
			return nil, err
		}
		p.take(ctxValue) // the ')' valueList stopped at
		slices.Sort(values)
		return slices.Compact(values), nil
	default:
		return nil, fmt.Errorf("found '%s', expected: ',', ')' or identifier", t.text)
	}
}

// valueList reads comma-separated, possibly empty values up to (not
// including) the closing parenthesis.
func (p *parser) valueList() ([]string, error) {
	var values []string
	for {
		switch t := p.take(ctxValue); t.kind {
		case tokIdent:
			values = append(values, t.text)
			switch next := p.peek(ctxValue); next.kind {
			case tokComma:
			case tokCloseParen:
				return values, nil
			default:
				return nil, fmt.Errorf("found '%s', expected: ',' or ')'", next.text)
			}
		case tokComma:
			next := p.peek(ctxValue)
			// An empty entry: before the first comma, between two commas,
			// or before the closing parenthesis.
			if len(values) == 0 || next.kind == tokComma || next.kind == tokCloseParen {
				values = append(values, "")
			}
			if next.kind == tokCloseParen {
				return values, nil
			}
		default:
			return nil, fmt.Errorf("found '%s', expected: ',', or identifier", t.text)
		}
	}
}

// exactValue reads the single value after =, ==, !=, > or <; nothing (the
// end or a comma) is the empty value.
func (p *parser) exactValue() ([]string, error) {
	if t := p.peek(ctxValue); t.kind == tokEnd || t.kind == tokComma {
		return []string{""}, nil
	}
	t := p.take(ctxValue)
	if t.kind != tokIdent {
		return nil, fmt.Errorf("found '%s', expected: identifier", t.text)
	}
	return []string{t.text}, nil
}
