#!/bin/sh
# ipmi_sim's chassis_control program (ipmi_lan(5)): ipmi_sim runs it with
#   <dir> get power boot …      → prints "power:<0|1>" and "boot:<name>"
#   <dir> set power 1 reset 1 … → changes the state, prints nothing
# The state lives in plain files in <dir> (power, boot, resets, log), so a
# test can read what the BMC was told and change what it reports.
dir=$1
op=$2
shift 2
[ -d "$dir" ] || { echo "no state directory $dir"; exit 1; }
case $op in
get)
  for name in "$@"; do
    case $name in
      # read, a shell builtin: no process per status (bench/ipmi asks thousands).
      power) p=0; [ -f "$dir/power" ] && read -r p < "$dir/power"; echo "power:${p:-0}" ;;
      boot) b=none; [ -f "$dir/boot" ] && read -r b < "$dir/boot"; echo "boot:${b:-none}" ;;
      *) echo "unknown parameter $name"; exit 1 ;;
    esac
  done
  ;;
set)
  while [ $# -ge 2 ]; do
    name=$1 value=$2
    shift 2
    echo "$name $value" >> "$dir/log"
    case $name in
      power) echo "$value" > "$dir/power" ;;
      shutdown) echo 0 > "$dir/power" ;;
      reset) echo $(( $(cat "$dir/resets" 2>/dev/null || echo 0) + 1 )) > "$dir/resets" ;;
      boot)
        case $value in
          none|pxe|default|cdrom|bios) echo "$value" > "$dir/boot" ;;
          *) echo "unsupported boot device $value"; exit 1 ;;
        esac ;;
      identify) ;;
      *) echo "unknown parameter $name"; exit 1 ;;
    esac
  done
  ;;
check) exit 1 ;;
*) echo "unknown operation $op"; exit 1 ;;
esac
