package livetest

import (
	"os"
	"strconv"
	"time"
)

// TimeScaleEnv multiplies every wait of the live tests: the kernel
// matrix's emulated guests (TCG, arm64 above all) run programs several
// times slower than the host, and a tool that takes 1 s to load its BTF
// here takes 10 s there. The assertions stay the same; only the patience
// grows.
const TimeScaleEnv = "PROBEBOX_TEST_TIMESCALE"

// Scaled returns d multiplied by $PROBEBOX_TEST_TIMESCALE (default 1).
func Scaled(d time.Duration) time.Duration {
	f, err := strconv.ParseFloat(os.Getenv(TimeScaleEnv), 64)
	if err != nil || f <= 1 {
		return d
	}
	return time.Duration(float64(d) * f)
}
