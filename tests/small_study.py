"""The small, valid study the tests share: twelve people, three networks."""

# 12 people in 3 sectors and 2 layers; p08 did not answer; one name is not ASCII.
SMALL_PEOPLE = """\
id,name,organisation,sector,layer,seniority,responded
p01,Ann Lee,Council,local_authority,systemic,senior,yes
p02,Bea Kwan,Council,local_authority,systemic,middle,yes
p03,Cal Ode,Council,local_authority,sectoral,frontline,yes
p04,Dee Ng,Council,local_authority,sectoral,frontline,yes
p05,Zoë Ångström,School A,school_college,systemic,senior,yes
p06,Eli Fox,School A,school_college,sectoral,middle,yes
p07,Fay Gu,School B,school_college,sectoral,frontline,yes
p08,Gus Hay,School B,school_college,sectoral,frontline,no
p09,Hal Ivy,Trust,voluntary_community,systemic,senior,yes
p10,Ida Joy,Trust,voluntary_community,sectoral,middle,yes
p11,Jo Kim,Trust,voluntary_community,sectoral,frontline,yes
p12,Kai Lo,Trust,voluntary_community,sectoral,,yes
"""

# work: 10 ties on the roster; innovation: 4 on the roster and one to Øyvind Dahl, who is not
# on it; expert: 3. Blank weights mean 1.
SMALL_TIES = """\
source,target,network,weight
p01,p02,work,
p02,p01,work,2
p01,p05,work,
p05,p06,work,
p06,p07,work,
p09,p10,work,
p10,p11,work,
p03,p04,work,
p01,p09,work,
p07,p08,work,
p01,p05,innovation,
p05,p09,innovation,
p09,p01,innovation,
p11,p12,innovation,2
p12,Øyvind Dahl,innovation,
p02,p01,expert,
p06,p05,expert,
p10,p09,expert,3
"""
