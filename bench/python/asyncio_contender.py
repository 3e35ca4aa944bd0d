"""asyncio StreamReader contenders: W1 bulk, W2 lines, W4 frames, W3 ping-pong (both ends).

Run by the harness as: python3 asyncio_contender.py '{"variant": "frames", "port": 1234, "count": 2000000}'
"""
import asyncio
import struct

from common import FRAME_BODY, FRAME_SIZE, HOST, LINE_SIZE, PING, Clock, announce_port, fail, run_role


async def bulk(port, count):
    clock = Clock()
    reader, writer = await asyncio.open_connection(HOST, port)
    got = 0
    while got < count:
        got += len(await reader.readexactly(min(65536, count - got)))
    got += len(await reader.read())
    if got != count:
        fail(f"asyncio bulk: received {got} bytes, expected {count}")
    writer.close()
    clock.stop(got, got)


async def lines(port, count):
    clock = Clock()
    reader, writer = await asyncio.open_connection(HOST, port)
    bad = 0
    for _ in range(count):
        if len(await reader.readuntil(b"\r\n")) != LINE_SIZE:
            bad += 1
    rest = len(await reader.read())
    if bad or rest:
        fail(f"asyncio lines: {bad} malformed, {rest} bytes past the last line")
    writer.close()
    clock.stop(count, count * LINE_SIZE)


async def frames(port, count):
    clock = Clock()
    reader, writer = await asyncio.open_connection(HOST, port)
    bad = 0
    for _ in range(count):
        (n,) = struct.unpack(">I", await reader.readexactly(4))
        if len(await reader.readexactly(n)) != FRAME_BODY:
            bad += 1
    rest = len(await reader.read())
    if bad or rest:
        fail(f"asyncio frames: {bad} malformed, {rest} bytes past the last frame")
    writer.close()
    clock.stop(count, count * FRAME_SIZE)


async def pingpong(port, count):
    # asyncio turns Nagle off on TCP sockets by default.
    clock = Clock()
    reader, writer = await asyncio.open_connection(HOST, port)
    for i in range(count):
        # Awaited, as Tornado's and ours are: the write is flushed before the read.
        writer.write(PING)
        await writer.drain()
        if len(await reader.readuntil(b"\n")) != len(PING):
            fail(f"asyncio pingpong: bad echo after {i} trips")
    writer.close()
    clock.stop(count, count * len(PING))


async def echo(_port, _count):
    done = asyncio.get_running_loop().create_future()

    async def handle(reader, writer):
        server.close()
        try:
            while True:
                writer.write(await reader.readuntil(b"\n"))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        writer.close()
        done.set_result(None)

    server = await asyncio.start_server(handle, HOST, 0)
    announce_port(server.sockets[0].getsockname()[1])
    await done


if __name__ == "__main__":
    run_role("asyncio", {"bulk": bulk, "lines": lines, "frames": frames, "pingpong": pingpong, "echo": echo})
