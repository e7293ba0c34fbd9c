package scenario

import (
	"fmt"
	"os"
	"testing"

	"github.com/daemonsim/daemonsim/cluster"
)

func TestZZRepro(t *testing.T) {
	path := os.Getenv("REPRO")
	data, _ := os.ReadFile(path)
	shuffle := os.Getenv("SHUFFLE") != ""
	res := runData(path, data, Options{Update: true, Configure: func(c *cluster.Config) { c.Shuffle = shuffle }})
	fmt.Print(res.Transcript())
	for _, f := range res.Failures {
		fmt.Println("FAIL:", f)
	}
}
