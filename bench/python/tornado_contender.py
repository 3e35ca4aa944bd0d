"""Tornado IOStream contenders: W1 bulk, W2 lines, W4 frames, W3 ping-pong (both ends).

Run by the harness as: python3 tornado_contender.py '{"variant": "lines", "port": 1234, "count": 5000000}'
"""
import asyncio
import struct

from common import FRAME_BODY, FRAME_SIZE, HOST, LINE_SIZE, PING, Clock, announce_port, fail, run_role
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets
from tornado.tcpclient import TCPClient
from tornado.tcpserver import TCPServer


async def bulk(port, count):
    clock = Clock()
    stream = await TCPClient().connect(HOST, port)
    got = 0
    while got < count:
        got += len(await stream.read_bytes(min(65536, count - got)))
    got += len(await stream.read_until_close())
    if got != count:
        fail(f"tornado bulk: received {got} bytes, expected {count}")
    clock.stop(got, got)


async def lines(port, count):
    clock = Clock()
    stream = await TCPClient().connect(HOST, port)
    bad = 0
    for _ in range(count):
        if len(await stream.read_until(b"\r\n")) != LINE_SIZE:
            bad += 1
    rest = len(await stream.read_until_close())
    if bad or rest:
        fail(f"tornado lines: {bad} malformed, {rest} bytes past the last line")
    clock.stop(count, count * LINE_SIZE)


async def frames(port, count):
    clock = Clock()
    stream = await TCPClient().connect(HOST, port)
    bad = 0
    for _ in range(count):
        (n,) = struct.unpack(">I", await stream.read_bytes(4))
        if len(await stream.read_bytes(n)) != FRAME_BODY:
            bad += 1
    rest = len(await stream.read_until_close())
    if bad or rest:
        fail(f"tornado frames: {bad} malformed, {rest} bytes past the last frame")
    clock.stop(count, count * FRAME_SIZE)


async def pingpong(port, count):
    clock = Clock()
    stream = await TCPClient().connect(HOST, port)
    stream.set_nodelay(True)
    for i in range(count):
        await stream.write(PING)
        if len(await stream.read_until(b"\n")) != len(PING):
            fail(f"tornado pingpong: bad echo after {i} trips")
    stream.close()
    clock.stop(count, count * len(PING))


class EchoServer(TCPServer):
    def __init__(self, done):
        super().__init__()
        self.done = done

    async def handle_stream(self, stream, address):
        self.stop()
        stream.set_nodelay(True)
        try:
            while True:
                await stream.write(await stream.read_until(b"\n"))
        except StreamClosedError:
            pass
        self.done.set_result(None)


async def echo(_port, _count):
    done = asyncio.get_running_loop().create_future()
    sockets = bind_sockets(0, HOST)
    EchoServer(done).add_sockets(sockets)
    announce_port(sockets[0].getsockname()[1])
    await done


if __name__ == "__main__":
    run_role("tornado", {"bulk": bulk, "lines": lines, "frames": frames, "pingpong": pingpong, "echo": echo})
