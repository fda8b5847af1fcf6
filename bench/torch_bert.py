"""PyTorch twin of the engine's benchmark step, for `npm run bench` ratios. Not part of the product.

Same shapes and work as bench/engine.ts: a BERT encoder (post-LN, erf GELU, tied MLM decoder), batch B x T of random
ids with varied lengths and an attention mask, AdamW over all parameters, no dropout. Prints one JSON line per case:
{"model", "case", "threads", "seconds_per_step", "examples_per_s"}.
Usage: python3 bench/torch_bert.py '{"models": {...}, "batch": 16, "seq": 128, "vocab": 30522, "threads": [1, 2], "steps": 5}'
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, a, i):
        super().__init__()
        self.a = a
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.f1, self.f2 = nn.Linear(h, i), nn.Linear(i, h)

    def forward(self, x, bias):
        b, t, h = x.shape
        d = h // self.a
        split = lambda y: y.view(b, t, self.a, d).transpose(1, 2)
        s = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(d) + bias
        ctx = (s.softmax(-1) @ split(self.v(x))).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.f2(F.gelu(self.f1(x))))


class Bert(nn.Module):
    def __init__(self, L, H, A, I, V, labels=2):
        super().__init__()
        self.word, self.pos, self.typ = nn.Embedding(V, H), nn.Embedding(512, H), nn.Embedding(2, H)
        self.ln = nn.LayerNorm(H, eps=1e-12)
        self.layers = nn.ModuleList(Layer(H, A, I) for _ in range(L))
        self.pool, self.cls = nn.Linear(H, H), nn.Linear(H, labels)
        self.tr, self.tr_ln, self.bias = nn.Linear(H, H), nn.LayerNorm(H, eps=1e-12), nn.Parameter(torch.zeros(V))

    def encode(self, ids, types, mask):
        t = ids.shape[1]
        x = self.ln(self.word(ids) + self.pos.weight[:t] + self.typ(types))
        bias = ((1.0 - mask) * torch.finfo(torch.float32).min)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def classify(self, ids, types, mask):
        return self.cls(torch.tanh(self.pool(self.encode(ids, types, mask)[:, 0])))

    def mlm(self, ids, types, mask, pos):
        h = self.encode(ids, types, mask).reshape(-1, self.word.weight.shape[1])[pos]
        return self.tr_ln(F.gelu(self.tr(h))) @ self.word.weight.T + self.bias


def batch(B, T, V, seed=0):
    g = torch.Generator().manual_seed(seed)
    lengths = torch.randint(T // 2, T + 1, (B,), generator=g)
    ids = torch.randint(1000, V, (B, T), generator=g)
    mask = (torch.arange(T)[None, :] < lengths[:, None]).float()
    ids = ids * mask.long()
    pos = torch.arange(B) * T + lengths // 2
    return ids, torch.zeros_like(ids), mask, pos, torch.randint(0, 2, (B,), generator=g), ids.reshape(-1)[pos]


def timed(fn, steps):
    fn()  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    cfg = json.loads(sys.argv[1])
    B, T, V, steps = cfg["batch"], cfg["seq"], cfg["vocab"], cfg["steps"]
    for threads in cfg["threads"]:
        torch.set_num_threads(threads)
        for name, m in cfg["models"].items():
            torch.manual_seed(0)
            model = Bert(m["layers"], m["hidden"], m["heads"], m["intermediate"], V)
            opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
            ids, types, mask, pos, labels, mlm_labels = batch(B, T, V)

            def train_cls():
                opt.zero_grad()
                F.cross_entropy(model.classify(ids, types, mask), labels).backward()
                opt.step()

            def train_mlm():
                opt.zero_grad()
                F.cross_entropy(model.mlm(ids, types, mask, pos), mlm_labels).backward()
                opt.step()

            def infer():
                with torch.no_grad():
                    model.classify(ids, types, mask)

            for case, fn in (("train_cls", train_cls), ("train_mlm", train_mlm), ("infer_cls", infer)):
                s = timed(fn, steps)
                print(json.dumps({"model": name, "case": case, "threads": threads, "seconds_per_step": s, "examples_per_s": B / s}), flush=True)


if __name__ == "__main__":
    main()
