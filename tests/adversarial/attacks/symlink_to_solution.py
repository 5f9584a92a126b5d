# kind: the submitted notebook is a symbolic link to the instructor's notebook (solutions/ch01_neuron/ch01_neuron.ipynb), as unzip or tar would restore it
# expect: 0 for everything: a submission must not make the grader read files outside the submissions folder
# max: all=0
# tamper: symlink @@REPO@@/solutions/ch01_neuron/ch01_neuron.ipynb
