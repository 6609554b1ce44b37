"""Drives a ramdisk agent with Ironic's own AgentClient (python3-ironic).

Usage: ironic-agent-client.py AGENT_URL TOKEN DISK IMAGE_URL IMAGE_SHA256

Runs what an Ironic conductor asks of an agent during cleaning and a
deploy, and prints one JSON object with what each call answered.
"""
import base64
import io
import json
import sys
import tarfile
import time

from ironic.conf import CONF

CONF([], project='ironic')

from ironic.drivers.modules import agent_client  # noqa: E402

agent_url, token, disk, image_url, image_sha256 = sys.argv[1:6]


class Node:
    """The part of Ironic's Node object the AgentClient reads."""

    uuid = '0c3e5b0a-8f53-4c71-9d2d-6a3a2f4b9a10'

    def __init__(self):
        self.driver_internal_info = {'agent_url': agent_url, 'agent_secret_token': token}
        self.driver_info = {}
        self.instance_info = {}
        self.properties = {'root_device': {'name': disk}}

    def as_dict(self, secure=False, mask_configdrive=True):
        return {'uuid': self.uuid, 'properties': self.properties,
                'driver_internal_info': {}, 'instance_info': {}}

    def save(self):
        pass


def finished(client, node, method):
    """Polls the last result of `method` until it is no longer RUNNING."""
    for _ in range(2000):
        result = client.get_last_command_status(node, method)
        if result is not None and result['command_status'] != 'RUNNING':
            return result
        time.sleep(0.01)
    raise RuntimeError('%s still running' % method)


node = Node()
client = agent_client.AgentClient()
out = {'initial_commands': client.get_commands_status(node)}
out['clean_steps'] = client.get_clean_steps(node, [])['command_result']
started = client.execute_clean_step(
    {'step': 'erase_devices_metadata', 'interface': 'deploy', 'priority': 99}, node, [])
out['clean_started'] = started['command_status']
out['clean_finished'] = finished(client, node, 'clean.execute_clean_step')
out['deploy_steps'] = client.get_deploy_steps(node, [])['command_result']
image_info = {'id': 'peer-image', 'urls': [image_url], 'disk_format': 'raw',
              'os_hash_algo': 'sha256', 'os_hash_value': image_sha256}
client.execute_deploy_step(
    {'step': 'write_image', 'interface': 'deploy',
     'args': {'image_info': image_info, 'configdrive': None}}, node, [])
out['write_finished'] = finished(client, node, 'deploy.execute_deploy_step')
out['partition_uuids'] = client.get_partition_uuids(node)['command_result']
out['sync'] = client.sync(node)['command_status']
logs = client.collect_system_logs(node)['command_result']['system_logs']
with tarfile.open(fileobj=io.BytesIO(base64.b64decode(logs)), mode='r:gz') as archive:
    out['log_files'] = sorted(archive.getnames())
print(json.dumps(out))
