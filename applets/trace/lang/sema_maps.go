package lang

// analyze types the program's maps before any code is generated: a map
// may be read in a probe before the one that assigns it. A probe that
// attaches nowhere still types the maps it assigns (bpftrace types the
// whole program before attaching); what its body cannot type without its
// function is left to the others.
func (c *compiler) analyze(units, missing []unit) error {
	for _, u := range missing {
		c.inferMaps(u.probe, &u.target)
	}
	for _, u := range units {
		if err := c.inferMaps(u.probe, &u.target); err != nil {
			return err
		}
	}
	for name := range c.deleted {
		if m, ok := c.maps[name]; ok {
			m.Deleted = true
		}
	}
	return nil
}

func isAggCall(e Expr) (*Call, bool) {
	call, ok := e.(*Call)
	if !ok {
		return nil, false
	}
	switch call.Name {
	case AggCount, AggSum, AggAvg, AggMin, AggMax, AggStats, AggHist, AggLhist:
		return call, true
	}
	return nil, false
}

func (c *compiler) mapFor(m *MapRef) (*MapInfo, bool) {
	info, ok := c.maps[m.Name]
	return info, ok
}

// inferMaps records map kinds and key types from a probe's statements.
func (c *compiler) inferMaps(p *Probe, t *Target) error {
	g := &gen{c: c, t: t, vars: map[string]varSlot{}, typing: true}
	if err := g.declareVars(p.Body); err != nil {
		return err
	}
	var walk func([]Stmt) error
	walk = func(stmts []Stmt) error {
		for _, s := range stmts {
			switch s := s.(type) {
			case *AssignMap:
				if err := c.noteAssign(g, s); err != nil {
					return err
				}
			case *ExprStmt:
				if call, ok := s.X.(*Call); ok && call.Name == "delete" && len(call.Args) == 1 {
					if mr, ok := call.Args[0].(*MapRef); ok && len(mr.Keys) == 0 {
						c.deleted[mr.Name] = true
					}
				}
			}
			if f, ok := s.(*For); ok {
				if err := g.withLoopVar(f, func() error { return walk(f.Body) }); err != nil {
					return err
				}
				continue
			}
			for _, b := range bodies(s) {
				if err := walk(b); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(p.Body)
}

func (c *compiler) noteAssign(g *gen, s *AssignMap) error {
	agg, val := "", Type{}
	lmin, lmax, lstep := int64(0), int64(0), int64(0)
	if call, ok := isAggCall(s.Value); ok {
		agg = call.Name
		want := map[string]int{AggCount: 0, AggSum: 1, AggAvg: 1, AggMin: 1, AggMax: 1, AggStats: 1, AggHist: 1, AggLhist: 4}[agg]
		if len(call.Args) != want {
			return errAt(call, "%s() takes %d argument(s), got %d", agg, want, len(call.Args))
		}
		if agg == AggLhist {
			var vals [3]int64
			for i, a := range call.Args[1:] {
				n, ok := a.(*Int)
				if !ok {
					return errAt(a, "lhist() min, max and step must be integer literals")
				}
				vals[i] = n.V
			}
			lmin, lmax, lstep = vals[0], vals[1], vals[2]
			if lmin < 0 {
				return errAt(call, "lhist() min must be non-negative (provided min %d)", lmin)
			}
			if lstep <= 0 || lmax <= lmin || (lmax-lmin)/lstep > 1000 {
				return errAt(call, "lhist() needs min < max, step > 0 and at most 1000 buckets")
			}
		}
	} else {
		typ, err := g.typeOf(s.Value)
		if err != nil {
			return err
		}
		switch typ.Kind {
		case KInt:
			agg = AggInt
		case KStr:
			agg = AggStr
		case KStruct:
			return errAt(s.Value, "a whole %s cannot be stored in a map: store a pointer to it, or the field you need", typ)
		default:
			if !IsValueKind(typ.Kind) {
				return errAt(s.Value, "this expression has no value to store in a map")
			}
			agg = AggVal
		}
		val = typ
	}
	keys, err := g.keyTypes(s.Map)
	if err != nil {
		return err
	}
	if prev, ok := c.maps[s.Map.Name]; ok {
		if (prev.Agg != agg || (agg == AggVal && prev.Value.Kind != val.Kind)) && !(prev.Agg == AggInt && (agg == AggCount || agg == AggSum)) {
			next := &MapInfo{Agg: agg, Value: val}
			return errAt(s.Map, "type mismatch for %s: it holds %s, and this assigns %s", prev.Display(), aggName(prev), aggName(next))
		}
		if len(prev.Keys) != len(keys) {
			return errAt(s.Map, "%s has %d key(s) elsewhere, %d here", prev.Display(), len(prev.Keys), len(keys))
		}
		if agg == AggStr && val.Size > prev.Value.Size {
			prev.Value = val
		}
		if agg == AggVal && val.Kind == KTuple {
			prev.Value = widenTuple(prev.Value, val)
		}
		return nil
	}
	c.maps[s.Map.Name] = &MapInfo{Name: s.Map.Name, ID: len(c.maps), Keys: keys, Agg: agg, Value: val, LhistMin: lmin, LhistMax: lmax, LhistStep: lstep}
	return nil
}
