//go:build !amd64

package tcpaccept

import "errors"

func rawAccept(int) (int, error) { return -1, errors.New("no accept(2) here") }

const haveRawAccept = false
