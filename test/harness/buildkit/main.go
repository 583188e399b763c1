// dockerfile-check: reads a Dockerfile on stdin with BuildKit's own parser and prints what each
// instruction means to BuildKit, as JSON: the instruction, and for COPY the --from image, --chmod,
// sources and destination after BuildKit's word expansion (quotes, escapes, $VAR with an empty
// environment). `dockerfile-check ref NAME` checks NAME with Docker's image reference grammar.
package main

import (
	_ "crypto/sha256" // registers sha256 for digests, as docker does
	"encoding/json"
	"fmt"
	"os"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

type instruction struct {
	Cmd     string   `json:"cmd"`
	Line    int      `json:"line"`
	JSON    bool     `json:"json"`
	Args    []string `json:"args"`
	From    string   `json:"from,omitempty"`
	Chmod   string   `json:"chmod,omitempty"`
	Sources []string `json:"sources,omitempty"`
	Dest    string   `json:"dest,omitempty"`
	Error   string   `json:"error,omitempty"`
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "ref" {
		if _, err := reference.ParseNormalizedNamed(os.Args[2]); err != nil {
			fmt.Println(err.Error())
			os.Exit(1)
		}
		fmt.Println("ok")
		return
	}
	res, err := parser.Parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	lex := shell.NewLex(res.EscapeToken)
	env := shell.EnvsFromSlice(nil)
	expand := func(word string) (string, error) {
		out, _, err := lex.ProcessWord(word, env)
		return out, err
	}
	list := []instruction{}
	for _, n := range res.AST.Children {
		in := instruction{Cmd: n.Value, Line: n.StartLine, JSON: n.Attributes["json"], Args: []string{}}
		for a := n.Next; a != nil; a = a.Next {
			in.Args = append(in.Args, a.Value)
		}
		cmd, err := instructions.ParseInstruction(n)
		if err != nil {
			in.Error = err.Error()
		} else if c, ok := cmd.(*instructions.CopyCommand); ok {
			if err := c.Expand(expand); err != nil {
				in.Error = err.Error()
			}
			if from, err := expand(c.From); err != nil {
				in.Error = err.Error()
			} else {
				in.From = from
			}
			in.Chmod, in.Sources, in.Dest = c.Chmod, c.SourcePaths, c.DestPath
		}
		list = append(list, in)
	}
	out, _ := json.Marshal(list)
	fmt.Println(string(out))
}
