"""Where `capmon serve`'s code server listens, and how the UI and the daemon find it."""

import os

import yaml

from orchestration import code_server


def test_the_socket_lives_in_the_instance_folder(tmp_path):
    assert code_server.socket_path(tmp_path) == tmp_path / "code.sock"


def test_a_folder_too_deep_for_a_socket_gets_one_in_the_temp_folder(tmp_path):
    deep = tmp_path / ("x" * 120)
    socket = code_server.socket_path(deep)
    assert len(os.fsencode(socket)) <= code_server.MAX_SOCKET_PATH
    assert socket.parent != deep
    # The same instance folder always gets the same socket; another one another.
    assert code_server.socket_path(deep) == socket
    assert code_server.socket_path(tmp_path / ("y" * 120)) != socket


def test_the_workspace_names_the_location_as_before(tmp_path):
    socket = tmp_path / "map met spatie" / "code.sock"
    args = code_server.workspace_args(tmp_path, socket)
    assert args[0] == "-w"
    [entry] = yaml.safe_load((tmp_path / "workspace.yaml").read_text())["load_from"]
    assert entry == {
        "grpc_server": {"socket": str(socket), "location_name": "orchestration.definitions"}
    }
