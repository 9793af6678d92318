"""PyTorch side of the GPU comparison (docs/performance.md#gpu), run on the lent GPU machine next to `tensorlet bench`.

Measures, on the same GPU as Tensorlet:
  * torch.mm 4096^3 in FP32 with TF32 disabled (GFLOP/s, median of 20 after warm-up);
  * a CIFAR ResNet-20 (option B shortcuts) training step at batch 128, SGD momentum 0.9, train-mode batch norm
    (images/s, median of 20 steps after warm-up).
Prints one JSON object per line, like `tensorlet bench --json`.
"""
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device("cuda")


def timed(fn, warmup=5, runs=20):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sgemm(n=4096):
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    s = timed(lambda: torch.mm(a, b))
    return {"name": f"torch.mm {n}^3 fp32 (no TF32)", "ms": s * 1e3, "gflops": 2 * n ** 3 / s / 1e9, "device": torch.cuda.get_device_name()}


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


def resnet20():
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for cout, stride in [(16, 1), (32, 2), (64, 2)]:
        for i in range(3):
            layers.append(Block(cin, cout, stride if i == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def train_step(batch=128):
    model = resnet20().to(dev).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(batch, 3, 32, 32, device=dev)
    y = torch.randint(0, 10, (batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    s = timed(step)
    return {"name": f"resnet20-b train step batch {batch}", "ms": s * 1e3, "images_per_s": batch / s, "device": torch.cuda.get_device_name()}


if __name__ == "__main__":
    print(json.dumps(sgemm()))
    print(json.dumps(train_step()))
