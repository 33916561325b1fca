import json,subprocess,sys,collections,re
for f in sys.argv[1:]:
    out=subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
    ev=json.loads(out)['recording']['events']
    c=collections.Counter()
    for e in ev:
        t=e['values']['sampledThread']
        name=(t.get('javaName') or t.get('osName') or '?')
        name=re.sub(r'\d+','N',name)
        c[name]+=1
    tot=sum(c.values())
    print(f"== {f}: {tot} samples")
    for n,k in c.most_common(14): print(f"  {100*k/tot:5.1f}% {n}")
