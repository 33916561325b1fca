# Summarises experiment.sh runs, given as directories (from where it is run, or beside this script):
#   python3 summary.py old1 new1 old2 new2
import json,os,sys,re
def load(f):
    out={}; port=None
    for line in open(f):
        line=line.strip()
        if line.startswith('=='): port=line[3:]; continue
        if not line: continue
        out[port]=json.loads(line)
    return out
for name in sys.argv[1:]:
    # a run directory as given (from where it is run), else beside this script
    d=name if os.path.isdir(name) else os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    try:
        a=load(d+'/pubsub0.json'); b=load(d+'/pubsub1.json')
    except Exception as e:
        print(name,'n/a'); continue
    tp=tm=0
    for port in b:
        for sub,v in b[port].items():
            tp+=v['pulls']-a[port][sub]['pulls']; tm+=v['pulled']-a[port][sub]['pulled']
    w=open(d+'/wakeups.txt').read()
    procs=dict(re.findall(r'== (\S+): ([\d.]+) %',w))
    allc=re.search(r'== all: ([\d.]+)',w).group(1)
    st=open(d+'/stages.txt').read()
    p50=[int(x) for x in re.findall(r'\s+\d+\s+(\d+)\s+\d+\s*$',st,re.M)]
    print(f"{name}: all {allc} %, pulls/msg {tp/tm:.2f} ({tp} / {tm}), sum of stage p50s {sum(p50)} ms; "+", ".join(f"{k} {v}" for k,v in procs.items()))
